// Spec: https://www.rfc-editor.org/rfc/rfc8216#section-4.3.3 (Media Playlist tags)
namespace Overlay.Bridge.Hls;

/// <summary>A media playlist: the segments of one rendition, in order.</summary>
public sealed record HlsMediaPlaylist : HlsPlaylist
{
    /// <summary><c>EXT-X-TARGETDURATION</c> in seconds, 0 when absent (tolerated: the segments carry durations).</summary>
    public long TargetDuration { get; init; }

    /// <summary><c>EXT-X-MEDIA-SEQUENCE</c>: the first segment's media sequence number.</summary>
    public long MediaSequence { get; init; }

    /// <summary><c>EXT-X-DISCONTINUITY-SEQUENCE</c>.</summary>
    public long DiscontinuitySequence { get; init; }

    public HlsPlaylistType PlaylistType { get; init; }

    /// <summary><c>EXT-X-ENDLIST</c>: no segment will be added.</summary>
    public bool EndList { get; init; }

    public required IReadOnlyList<HlsSegment> Segments { get; init; }

    /// <summary>The sum of the segment durations.</summary>
    public TimeSpan TotalDuration => Segments.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);
}
