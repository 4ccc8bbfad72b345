namespace Overlay.Bridge.Hls;

/// <summary><c>EXT-X-PLAYLIST-TYPE</c> (RFC 8216 §4.3.3.5); <see cref="None"/> when the tag is absent.</summary>
public enum HlsPlaylistType
{
    None,
    Event,
    Vod,
}
