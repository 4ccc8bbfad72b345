namespace Overlay.Manifest.Streams;

/// <summary>What a bundle's payload is (specs/bundle.md §3): wire names <c>media</c> and <c>init</c>.</summary>
public enum BundleKind
{
    /// <summary>A media segment: one <c>EXTINF</c> entry of the playlist.</summary>
    Media,

    /// <summary>An initialization section: the target of <c>EXT-X-MAP</c>, not listed as a segment.</summary>
    Init,
}
