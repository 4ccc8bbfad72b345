// Spec: https://www.rfc-editor.org/rfc/rfc8216 (HLS); the bounds are ours.
namespace Overlay.Bridge.Hls;

/// <summary>
/// Bounds on a playlist, checked before anything of the declared size is kept, so a hostile
/// file cannot make the parser allocate without limit.
/// </summary>
public static class HlsLimits
{
    /// <summary>16 MiB: a VOD media playlist of 100 000 segments with long URIs stays below it.</summary>
    public const int MaxPlaylistBytes = 16 * 1024 * 1024;

    /// <summary>Longest line in characters; real URIs and attribute lists are far shorter.</summary>
    public const int MaxLineLength = 16 * 1024;

    /// <summary>Segments in one media playlist: 100 000 × 6 s is almost a week of video.</summary>
    public const int MaxSegments = 100_000;

    /// <summary>Variant streams plus alternate renditions in one master playlist.</summary>
    public const int MaxVariants = 256;

    /// <summary>Attributes in one attribute list (EXT-X-STREAM-INF has about a dozen).</summary>
    public const int MaxAttributes = 64;

    /// <summary>
    /// Longest segment: one hour, the largest duration a bundle may carry (specs/bundle.md §3).
    /// </summary>
    public static readonly TimeSpan MaxSegmentDuration = TimeSpan.FromHours(1);

    /// <summary>Largest decimal-integer: 2^53 − 1, exact in dag-cbor and JavaScript alike.</summary>
    public const long MaxInteger = 9_007_199_254_740_991;
}
