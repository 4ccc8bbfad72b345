// Spec: specs/stream-import.md §2-§3 (renditions and bundle order).
using Overlay.Bridge.Hls;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Streams;

namespace Overlay.Bridge.Import;

/// <summary>
/// Which media playlists a source has, what each rendition is called, and in which order their
/// segments become bundles: by start time across renditions, so a follower fetching in
/// <c>seq</c> order gets every rendition's first minutes first.
/// </summary>
internal static class HlsRenditionPlanner
{
    /// <summary>
    /// The source's renditions and their media playlists. <paramref name="requireSegments"/>
    /// refuses a playlist without segments (an import has nothing to sign); a live watch allows
    /// it (an encoder's playlist before its first segment closes).
    /// </summary>
    public static IReadOnlyList<HlsRenditionSource> Read(HlsSource source, bool requireSegments = true)
    {
        var top = source.ReadPlaylist(new Uri(source.Playlist));
        HlsMediaPlaylist Checked(HlsMediaPlaylist playlist) => requireSegments ? Check(playlist) : playlist;
        if (top is HlsMediaPlaylist single)
        {
            return [new HlsRenditionSource("", Checked(single), null, null)];
        }
        var master = (HlsMasterPlaylist)top;
        var renditions = new List<HlsRenditionSource>();
        var seen = new HashSet<Uri>();
        foreach (var variant in master.Variants)
        {
            // Several variants may share one media playlist (e.g. one per audio group): import it once.
            if (seen.Add(variant.Uri))
            {
                renditions.Add(new HlsRenditionSource($"v{renditions.Count}", Checked(ReadMedia(source, variant.Uri)), variant, null));
            }
        }
        foreach (var media in master.Media)
        {
            if (media.Uri is { } uri && seen.Add(uri))
            {
                renditions.Add(new HlsRenditionSource($"{media.Type.ToLowerInvariant()[..1]}{renditions.Count}", Checked(ReadMedia(source, uri)), null, media));
            }
        }
        if (renditions.Count == 0)
        {
            throw new MalformedDataException(HlsPlaylistParser.Format, "the master playlist names no media playlist");
        }
        if (renditions.Count > StreamLimits.MaxRenditions)
        {
            throw new HlsUnsupportedException($"the master playlist has {renditions.Count} renditions; a stream holds at most {StreamLimits.MaxRenditions}");
        }
        return renditions;
    }

    /// <summary>(rendition index, segment) pairs ordered by start time, then rendition, then position.</summary>
    public static IEnumerable<(int Rendition, HlsSegment Segment)> PlaybackOrder(IReadOnlyList<HlsRenditionSource> renditions)
    {
        var all = new List<(TimeSpan Start, int Rendition, int Position, HlsSegment Segment)>();
        for (var r = 0; r < renditions.Count; r++)
        {
            var start = TimeSpan.Zero;
            var segments = renditions[r].Playlist.Segments;
            for (var i = 0; i < segments.Count; i++)
            {
                all.Add((start, r, i, segments[i]));
                start += segments[i].Duration;
            }
        }
        return all.OrderBy(x => x.Start).ThenBy(x => x.Rendition).ThenBy(x => x.Position).Select(x => (x.Rendition, x.Segment));
    }

    /// <summary>The head's rendition list: empty for a single media playlist.</summary>
    public static IReadOnlyList<Rendition> Describe(IReadOnlyList<HlsRenditionSource> renditions, long[] peakBitRates)
    {
        if (renditions is [{ Variant: null, Media: null }])
        {
            return [];
        }
        return renditions.Select((r, i) => new Rendition(
            r.Id,
            Math.Max(1, Math.Min(r.Variant?.Bandwidth ?? peakBitRates[i], StreamLimits.MaxSafeInteger)),
            CodecsOrEmpty(r.Variant?.Codecs),
            r.Variant?.Width ?? 0,
            r.Variant?.Height ?? 0)).ToArray();
    }

    private static string CodecsOrEmpty(string? codecs) =>
        codecs is { Length: <= StreamLimits.MaxCodecsBytes } && codecs.All(c => c is >= ' ' and <= '~' and not '"') ? codecs : "";

    private static HlsMediaPlaylist ReadMedia(HlsSource source, Uri uri) =>
        source.ReadPlaylist(uri) is HlsMediaPlaylist media
            ? media
            : throw new MalformedDataException(HlsPlaylistParser.Format, $"{uri} is a master playlist named by a master playlist");

    private static HlsMediaPlaylist Check(HlsMediaPlaylist playlist) =>
        playlist.Segments.Count > 0
            ? playlist
            : throw new MalformedDataException(HlsPlaylistParser.Format, $"{playlist.Uri} has no segments");
}
