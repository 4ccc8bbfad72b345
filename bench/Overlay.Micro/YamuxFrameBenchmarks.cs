using System.Buffers;
using BenchmarkDotNet.Attributes;
using Overlay.Muxing.Yamux.Frames;
using Overlay.Tests.Support;

namespace Overlay.Micro;

/// <summary>
/// Yamux header handling: writing the 12-byte header, and reading and validating a run of 256
/// headers from one buffer and from a buffer split into 1-byte-misaligned segments (the copy path).
/// </summary>
[MemoryDiagnoser]
public class YamuxFrameBenchmarks
{
    private const int Frames = 256;
    private readonly byte[] _header = new byte[YamuxFrame.HeaderLength];
    private ReadOnlySequence<byte> _contiguous;
    private ReadOnlySequence<byte> _split;

    [GlobalSetup]
    public void Setup()
    {
        var bytes = new byte[Frames * YamuxFrame.HeaderLength];
        for (var i = 0; i < Frames; i++)
        {
            var frame = (i % 4) switch
            {
                0 => YamuxFrame.WindowUpdate((uint)(2 * i + 1), YamuxFrameFlags.None, 256 * 1024),
                1 => YamuxFrame.PingRequest((uint)i),
                _ => YamuxFrame.Data((uint)(2 * i + 1), YamuxFrameFlags.None, 0),
            };
            frame.WriteTo(bytes.AsSpan(i * YamuxFrame.HeaderLength));
        }
        _contiguous = new ReadOnlySequence<byte>(bytes);
        _split = Segments.Of(bytes.Chunk(YamuxFrame.HeaderLength + 1).ToArray());
    }

    [Benchmark]
    public void WriteHeader() => YamuxFrame.Data(3, YamuxFrameFlags.None, 65536).WriteTo(_header);

    [Benchmark(OperationsPerInvoke = Frames)]
    public uint ReadHeadersContiguous() => ReadAll(_contiguous);

    [Benchmark(OperationsPerInvoke = Frames)]
    public uint ReadHeadersSplit() => ReadAll(_split);

    private static uint ReadAll(ReadOnlySequence<byte> buffer)
    {
        uint sum = 0;
        while (YamuxFrame.TryRead(ref buffer, 16 * 1024 * 1024, out var frame))
        {
            sum += frame.StreamId;
        }
        return sum;
    }
}
