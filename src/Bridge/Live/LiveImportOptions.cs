using Overlay.Bridge.Import;

namespace Overlay.Bridge.Live;

/// <summary>How a growing HLS playlist (or a live ffmpeg run) becomes bundles (specs/stream-import.md §5).</summary>
public sealed record LiveImportOptions
{
    /// <summary>
    /// Key, title, class, clock and limits of each bundle, as a VOD import signs them; set
    /// <see cref="HlsImportOptions.Class"/> to <c>live</c> or <c>near_live</c> for a live stream
    /// (its default lifetime sets <c>expires</c>). Its progress reporter is not used.
    /// </summary>
    public required HlsImportOptions Import { get; init; }

    /// <summary><c>seq</c> of the first bundle: 0 for a new stream, the head's size when a stream continues.</summary>
    public long FirstSeq { get; init; }

    /// <summary>How often the playlist is read again: a quarter of the shortest segment length (2 s) keeps the added delay small.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Consecutive unreadable reads (a playlist caught mid-write, a named file not there yet)
    /// tolerated before the import fails: 40 × 250 ms = 10 s, longer than any writer takes to
    /// finish one rewrite.
    /// </summary>
    public int MaxFailedReads { get; init; } = 40;

    /// <summary>Deletes each media segment file once imported (when the importer owns the folder, so a long run does not fill the disk).</summary>
    public bool DeleteImportedSegments { get; init; }

    /// <summary>Where ffmpeg writes its segments (live ffmpeg runs only); null: a temporary folder, deleted at the end.</summary>
    public string? OutputFolder { get; init; }

    /// <summary>Target segment length of live ffmpeg runs, 2..6 s.</summary>
    public int SegmentSeconds { get; init; } = 2;

    public Ffmpeg.HlsSegmentType SegmentType { get; init; } = Ffmpeg.HlsSegmentType.MpegTs;
}
