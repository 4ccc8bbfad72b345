using BenchmarkDotNet.Attributes;
using Overlay.Manifest.Multiformats;

namespace Overlay.Micro;

/// <summary>Unsigned varint write and read: one byte (a codec), three bytes (a block length) and nine (the largest allowed).</summary>
[MemoryDiagnoser]
public class VarintBenchmarks
{
    private readonly byte[] _buffer = new byte[Varint.MaxLength];
    private byte[] _encoded = [];

    [Params(0x71UL, 1_048_576UL, (1UL << 63) - 1)]
    public ulong Value { get; set; }

    [GlobalSetup]
    public void Setup() => _encoded = Varint.Encode(Value);

    [Benchmark]
    public int Write() => Varint.Write(Value, _buffer);

    [Benchmark]
    public ulong Read() => Varint.Read(_encoded, out _);
}
