using BenchmarkDotNet.Attributes;
using Overlay.Manifest.Multiformats;

namespace Overlay.Micro;

/// <summary>CID parsing from text (base32 CIDv1, base58btc CIDv0) and from bytes, and hashing a 1 MiB block into a CID.</summary>
[MemoryDiagnoser]
public class CidBenchmarks
{
    private readonly Cid _v1 = Cid.Compute(Multicodec.Raw, "overlay micro-benchmark block"u8);
    private readonly byte[] _block = new byte[1 << 20];
    private string _v1Text = "";
    private string _v0Text = "";
    private byte[] _v1Bytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _v1Text = _v1.ToString();
        _v0Text = Cid.CreateV0(_v1.Hash).ToString();
        _v1Bytes = _v1.ToArray();
        new Random(1).NextBytes(_block);
    }

    [Benchmark]
    public Cid ParseV1Base32() => Cid.Parse(_v1Text);

    [Benchmark]
    public Cid ParseV0Base58() => Cid.Parse(_v0Text);

    [Benchmark]
    public Cid DecodeBinary() => Cid.Decode(_v1Bytes);

    [Benchmark]
    public string FormatV1Base32() => _v1.ToString();

    [Benchmark]
    public Cid Compute1MiBRawBlock() => Cid.Compute(Multicodec.Raw, _block);
}
