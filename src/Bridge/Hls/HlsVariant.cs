// Spec: https://www.rfc-editor.org/rfc/rfc8216#section-4.3.4.2 (EXT-X-STREAM-INF)
namespace Overlay.Bridge.Hls;

/// <summary>A variant stream of a master playlist: its media playlist and what it needs.</summary>
public sealed record HlsVariant
{
    /// <summary>The variant's media playlist, resolved.</summary>
    public required Uri Uri { get; init; }

    /// <summary><c>BANDWIDTH</c>: peak bit rate in bits/s.</summary>
    public required long Bandwidth { get; init; }

    /// <summary><c>AVERAGE-BANDWIDTH</c>, or null.</summary>
    public long? AverageBandwidth { get; init; }

    /// <summary><c>CODECS</c> as written, empty when absent.</summary>
    public string Codecs { get; init; } = "";

    /// <summary><c>RESOLUTION</c> width, 0 when absent.</summary>
    public int Width { get; init; }

    /// <summary><c>RESOLUTION</c> height, 0 when absent.</summary>
    public int Height { get; init; }

    /// <summary><c>FRAME-RATE</c>, or null.</summary>
    public decimal? FrameRate { get; init; }

    /// <summary><c>AUDIO</c> group id, or null.</summary>
    public string? Audio { get; init; }

    /// <summary><c>SUBTITLES</c> group id, or null.</summary>
    public string? Subtitles { get; init; }
}
