// Spec: https://www.rfc-editor.org/rfc/rfc8216#section-4.3.4 (Master Playlist tags)
namespace Overlay.Bridge.Hls;

/// <summary>A master (multivariant) playlist: the variant streams and alternative renditions.</summary>
public sealed record HlsMasterPlaylist : HlsPlaylist
{
    /// <summary><c>EXT-X-STREAM-INF</c> entries in playlist order.</summary>
    public required IReadOnlyList<HlsVariant> Variants { get; init; }

    /// <summary><c>EXT-X-MEDIA</c> entries in playlist order.</summary>
    public required IReadOnlyList<HlsMedia> Media { get; init; }
}
