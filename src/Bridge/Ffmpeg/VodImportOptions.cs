using Overlay.Bridge.Import;

namespace Overlay.Bridge.Ffmpeg;

/// <summary>How a video file becomes a stream through ffmpeg.</summary>
public sealed record VodImportOptions
{
    /// <summary>Key, title, class, clock and limits of the HLS import that follows segmenting.</summary>
    public required HlsImportOptions Import { get; init; }

    public HlsSegmentType SegmentType { get; init; } = HlsSegmentType.MpegTs;

    /// <summary>Target segment length, 2..6 s (BRIEF §4: 2-6 s segments).</summary>
    public int SegmentSeconds { get; init; } = 4;

    /// <summary>
    /// Where ffmpeg writes the playlist and segments. Null: a temporary folder, deleted after the
    /// import (the payloads are in the block store by then). Given: the folder is kept.
    /// </summary>
    public string? OutputFolder { get; init; }
}
