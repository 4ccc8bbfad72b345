using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Bench.Shared;

/// <summary>Inputs both benchmark programs measure (compiled into each; tests/js/bench-dagcbor.mjs builds the same document).</summary>
internal static class BenchDocuments
{
    /// <summary>A bundle-like 10-field dag-cbor map.</summary>
    public static IpldMap BundleLikeMap() => IpldMap.Of(
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
}
