// Spec: https://www.rfc-editor.org/rfc/rfc8216#section-4.3.2 (Media Segment tags)
namespace Overlay.Bridge.Hls;

/// <summary>One media segment of a media playlist, with every tag that applies to it resolved.</summary>
public sealed record HlsSegment
{
    /// <summary>Absolute URI: the playlist's URI resolved against the line as written.</summary>
    public required Uri Uri { get; init; }

    /// <summary><c>EXTINF</c> duration, kept to whole microseconds.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The optional <c>EXTINF</c> title, empty when absent.</summary>
    public string Title { get; init; } = "";

    /// <summary><c>EXT-X-BYTERANGE</c> with its implicit offset filled in, or null for the whole resource.</summary>
    public HlsByteRange? ByteRange { get; init; }

    /// <summary>Media sequence number (RFC 8216 §4.3.3.2).</summary>
    public required long MediaSequence { get; init; }

    /// <summary>Discontinuity sequence number (RFC 8216 §4.3.3.3).</summary>
    public required long DiscontinuitySequence { get; init; }

    /// <summary>An <c>EXT-X-DISCONTINUITY</c> precedes this segment.</summary>
    public bool Discontinuity { get; init; }

    /// <summary>The <c>EXT-X-PROGRAM-DATE-TIME</c> given right before this segment, if any.</summary>
    public DateTimeOffset? ProgramDateTime { get; init; }

    /// <summary>The <c>EXT-X-MAP</c> in force for this segment, or null (MPEG-TS, packed audio).</summary>
    public HlsMap? Map { get; init; }
}
