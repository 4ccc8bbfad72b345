using BenchmarkDotNet.Attributes;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Micro;

/// <summary>
/// Strict dag-cbor encode and decode of the bundle-like 10-field map the side-by-side scenario
/// uses (bench/Overlay.Bench/DagCborScenario.cs builds the same document for @ipld/dag-cbor).
/// </summary>
[MemoryDiagnoser]
public class DagCborBenchmarks
{
    private readonly IpldMap _document = IpldMap.Of(
        ("v", 1),
        ("seq", 12345),
        ("class", "live"),
        ("created", 1_700_000_000_000),
        ("expires", 1_700_001_800_000),
        ("type", "video/mp2t"),
        ("dur", 4_000_000),
        ("disc", false),
        ("size", 1_048_576),
        ("payload", Cid.Compute(Multicodec.Raw, "segment"u8)));

    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup() => _encoded = DagCbor.Encode(_document);

    [Benchmark]
    public byte[] Encode() => DagCbor.Encode(_document);

    [Benchmark]
    public IpldNode Decode() => DagCbor.Decode(_encoded);
}
