// Spec: specs/gateway-hls.md §2 (playlists), after specs/bundle.md §3.2 and RFC 8216 §4.3.
using System.Globalization;
using System.Text;
using Overlay.Manifest.Streams;

namespace Overlay.Gateway.Play;

/// <summary>
/// Writes HLS playlists (RFC 8216) from verified bundles: a master playlist from a head's
/// renditions, and a media playlist from one rendition's media bundles in <c>seq</c> order,
/// whole and ended for a sealed stream, or a sliding window behind the live edge for a growing
/// one. Pure: the caller has verified every bundle it passes.
/// </summary>
internal static class HlsPlaylistWriter
{
    /// <summary>RFC 8216 §7: EXT-X-MAP in a playlist without EXT-X-I-FRAMES-ONLY needs version 6.</summary>
    private const int VersionWithMap = 6;

    /// <summary>RFC 8216 §7: decimal-floating-point EXTINF durations need version 3.</summary>
    private const int VersionWithDecimalDurations = 3;

    /// <summary>One EXT-X-STREAM-INF per rendition, in the head's order, each pointing at its media playlist.</summary>
    public static string Master(string address, IReadOnlyList<Rendition> renditions)
    {
        ArgumentNullException.ThrowIfNull(renditions);
        var text = new StringBuilder("#EXTM3U\n");
        foreach (var rendition in renditions)
        {
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-STREAM-INF:BANDWIDTH={rendition.Bandwidth}");
            if (rendition.Width > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $",RESOLUTION={rendition.Width}x{rendition.Height}");
            }
            if (rendition.Codecs.Length > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $",CODECS=\"{rendition.Codecs}\"");
            }
            text.Append('\n').Append(PlayPaths.RenditionPlaylist(address, rendition.Id)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// The media playlist of <paramref name="media"/> (one rendition's media bundles, ascending
    /// <c>seq</c>). Sealed: every segment, <c>EXT-X-PLAYLIST-TYPE:VOD</c> and <c>EXT-X-ENDLIST</c>.
    /// Growing: the last <paramref name="window"/> segments, numbered by their own <c>msn</c> and
    /// <c>dseq</c>. <paramref name="inits"/> finds the init bundle a segment names (<c>EXT-X-MAP</c>);
    /// <paramref name="minimumTargetDuration"/> keeps a live playlist's target duration from
    /// shrinking between reloads (RFC 8216 §6.2.1: it must not change).
    /// </summary>
    public static string Media(
        string address, IReadOnlyList<Bundle> media, Func<long, Bundle?> inits, bool sealedStream, int window, int minimumTargetDuration = 1)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(inits);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var shown = sealedStream || media.Count <= window ? media : media.Skip(media.Count - window).ToArray();
        var hasMap = shown.Any(b => b.InitSeq is not null);
        var text = new StringBuilder("#EXTM3U\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-VERSION:{(hasMap ? VersionWithMap : VersionWithDecimalDurations)}\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{Math.Max(minimumTargetDuration, TargetDuration(shown))}\n");
        if (shown.Count > 0)
        {
            var first = shown[0];
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-MEDIA-SEQUENCE:{first.MediaSequence}\n");
            // bundle.md §3.2: a first segment's own discontinuity is written as a tag below, so
            // the playlist's sequence counts only those before it.
            var discontinuitySequence = first.DiscontinuitySequence - (first.Discontinuity && first.DiscontinuitySequence > 0 ? 1 : 0);
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-DISCONTINUITY-SEQUENCE:{discontinuitySequence}\n");
        }
        if (sealedStream)
        {
            text.Append("#EXT-X-PLAYLIST-TYPE:VOD\n");
        }
        long? currentInit = null;
        foreach (var segment in shown)
        {
            if (segment.Discontinuity)
            {
                text.Append("#EXT-X-DISCONTINUITY\n");
            }
            if (segment.InitSeq is { } initSeq && initSeq != currentInit)
            {
                var init = inits(initSeq) ?? throw new InvalidOperationException($"init bundle {initSeq} of segment {segment.Seq} was not supplied");
                text.Append(CultureInfo.InvariantCulture, $"#EXT-X-MAP:URI=\"{PlayPaths.Segment(address, init)}\"\n");
                currentInit = initSeq;
            }
            text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{Seconds(segment.Duration)},\n");
            text.Append(PlayPaths.Segment(address, segment)).Append('\n');
        }
        if (sealedStream)
        {
            text.Append("#EXT-X-ENDLIST\n");
        }
        return text.ToString();
    }

    /// <summary>The largest duration rounded up to whole seconds (bundle.md §3.2), at least 1.</summary>
    public static int TargetDuration(IEnumerable<Bundle> media)
    {
        ArgumentNullException.ThrowIfNull(media);
        var longest = media.Select(b => b.Duration).DefaultIfEmpty(TimeSpan.Zero).Max();
        return (int)Math.Max(1, (longest.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);
    }

    /// <summary>Whole microseconds as seconds, e.g. <c>4.000</c> or <c>3.966667</c>.</summary>
    private static string Seconds(TimeSpan duration) =>
        (duration.Ticks / (decimal)TimeSpan.TicksPerSecond).ToString("0.000###", CultureInfo.InvariantCulture);
}
