using BenchmarkDotNet.Attributes;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Ipld;

namespace Overlay.Micro;

/// <summary>
/// Strict dag-cbor encode and decode of the bundle-like 10-field map the side-by-side scenario
/// uses (<c>BenchDocuments.BundleLikeMap</c>, the document @ipld/dag-cbor is measured on).
/// </summary>
[MemoryDiagnoser]
public class DagCborBenchmarks
{
    private readonly IpldMap _document = Overlay.Bench.Shared.BenchDocuments.BundleLikeMap();

    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup() => _encoded = DagCbor.Encode(_document);

    [Benchmark]
    public byte[] Encode() => DagCbor.Encode(_document);

    [Benchmark]
    public IpldNode Decode() => DagCbor.Decode(_encoded);
}
