// Spec: specs/gateway-hls.md §1 (routes).
using System.Globalization;
using Overlay.Manifest.Streams;

namespace Overlay.Gateway.Play;

/// <summary>
/// The gateway's URIs for a stream, as absolute paths: a playlist may be fetched as
/// <c>/play/&lt;stream&gt;</c> or <c>/play/&lt;stream&gt;.m3u8</c>, so relative references would
/// resolve differently depending on which one the player asked for.
/// </summary>
internal static class PlayPaths
{
    public const string PlaylistContentType = "application/vnd.apple.mpegurl";

    public static string Playlist(string address) => $"/play/{address}";

    public static string RenditionPlaylist(string address, string rendition) => $"/play/{address}/{rendition}.m3u8";

    public static string Segment(string address, Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return string.Create(CultureInfo.InvariantCulture, $"/segment/{address}/{bundle.Seq}.{MediaFormats.ExtensionOf(bundle)}");
    }
}
