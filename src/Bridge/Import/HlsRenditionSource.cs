using Overlay.Bridge.Hls;

namespace Overlay.Bridge.Import;

/// <summary>One rendition to import: its id, its media playlist and what the master said of it.</summary>
internal sealed record HlsRenditionSource(string Id, HlsMediaPlaylist Playlist, HlsVariant? Variant, HlsMedia? Media)
{
    public bool IsAudio => string.Equals(Media?.Type, "AUDIO", StringComparison.OrdinalIgnoreCase);
}
