// Spec: specs/gateway-hls.md §3 (segment URIs and content types); specs/bundle.md §3.1 (media types).
using Overlay.Manifest.Streams;

namespace Overlay.Gateway.Play;

/// <summary>
/// The file extension a segment's URI carries and the Content-Type it is served with, both from
/// the bundle's signed media type and kind. Players (ffmpeg's HLS demuxer among them) check the
/// extension against the format, so each media type maps to exactly one extension.
/// </summary>
internal static class MediaFormats
{
    private static readonly Dictionary<string, string> MediaExtensions = new(StringComparer.Ordinal)
    {
        ["video/mp2t"] = "ts",
        ["video/mp4"] = "m4s",
        ["audio/mp4"] = "m4s",
        ["audio/aac"] = "aac",
        ["audio/ac3"] = "ac3",
        ["audio/mpeg"] = "mp3",
        ["text/vtt"] = "vtt",
    };

    /// <summary>
    /// <c>mp4</c> for an initialization section (the <c>EXT-X-MAP</c> target), else the media
    /// type's extension; <c>bin</c> for a type we do not know.
    /// </summary>
    public static string ExtensionOf(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (bundle.Kind == BundleKind.Init)
        {
            return "mp4";
        }
        return MediaExtensions.GetValueOrDefault(bundle.MediaType, "bin");
    }

    /// <summary>The signed media type when it is one we know (bundle.md §3.1), else <c>application/octet-stream</c>.</summary>
    public static string ContentTypeOf(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return MediaExtensions.ContainsKey(bundle.MediaType) ? bundle.MediaType : "application/octet-stream";
    }
}
