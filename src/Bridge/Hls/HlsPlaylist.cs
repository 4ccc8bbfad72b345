// Spec: https://www.rfc-editor.org/rfc/rfc8216#section-4.3 (playlist tags)
namespace Overlay.Bridge.Hls;

/// <summary>A parsed playlist: a <see cref="HlsMediaPlaylist"/> or a <see cref="HlsMasterPlaylist"/>.</summary>
public abstract record HlsPlaylist
{
    /// <summary>Where the playlist was read from; relative URIs in it were resolved against this.</summary>
    public required Uri Uri { get; init; }

    /// <summary><c>EXT-X-VERSION</c>, 1 when absent.</summary>
    public int Version { get; init; } = 1;

    /// <summary><c>EXT-X-INDEPENDENT-SEGMENTS</c> is present.</summary>
    public bool IndependentSegments { get; init; }
}
