// Spec: specs/stream-import.md §5 (live sources: a playlist still being written).
using System.Runtime.CompilerServices;
using Overlay.Bridge.Hls;
using Overlay.Bridge.Import;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Streams;

namespace Overlay.Bridge.Live;

/// <summary>
/// Follows an HLS media or master playlist that an encoder is still writing: reads it again every
/// <see cref="LiveImportOptions.PollInterval"/>, and each segment that newly appears (an encoder
/// lists a segment only once it is closed) is imported and signed as the next bundle, init
/// sections first when a segment needs one. A read that fails mid-write is retried, a bounded
/// number of times in a row. Ends when every playlist has <c>EXT-X-ENDLIST</c>, when the writer
/// is done (after one last read), or on cancellation.
/// </summary>
public sealed class LivePlaylistWatcher
{
    private readonly LiveImportOptions _options;
    private readonly SegmentBundler _bundler;
    private StreamMetadata _metadata;

    public LivePlaylistWatcher(IBlockStore store, LiveImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Import);
        ArgumentNullException.ThrowIfNull(options.Import.Key);
        ArgumentOutOfRangeException.ThrowIfNegative(options.FirstSeq);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFailedReads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.PollInterval, TimeSpan.Zero);
        _options = options;
        var import = options.Import;
        _bundler = new SegmentBundler(store, import.Key, import.Class, import.UnixFs, import.MaxSegmentBytes);
        _metadata = new StreamMetadata { Title = import.Title };
    }

    /// <summary>Title and renditions for the next head: known once the playlist was first read, bit rates updated per segment.</summary>
    public StreamMetadata Metadata => Volatile.Read(ref _metadata);

    /// <summary>Bundles signed so far.</summary>
    public long Bundles { get; private set; }

    /// <summary>Payload bytes imported so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>
    /// Yields a bundle for each segment as it appears in the playlist at <paramref name="path"/>
    /// (a file, or a folder holding it), <c>seq</c> counting from <see cref="LiveImportOptions.FirstSeq"/>.
    /// <paramref name="writerDone"/>, when given, completes when the writer stopped: the playlist
    /// is read once more and the watch ends.
    /// </summary>
    public async IAsyncEnumerable<LiveBundle> WatchAsync(string path, Task? writerDone = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var seq = _options.FirstSeq;
        var failures = 0;
        WatchedPlaylist? watched = null;
        var inits = new Dictionary<(string Rendition, HlsMap Map), long>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lastPass = writerDone?.IsCompleted == true;
            var read = TryRead(path, ref watched, out var problem);
            if (read is null)
            {
                // Not written yet, or caught mid-write: try again, but not forever.
                if (problem is not null && ++failures >= _options.MaxFailedReads)
                {
                    throw problem;
                }
                if (lastPass)
                {
                    yield break;
                }
                await PauseAsync(writerDone, cancellationToken).ConfigureAwait(false);
                continue;
            }
            failures = 0;
            var source = watched!.Source;
            for (var r = 0; r < read.Length; r++)
            {
                var rendition = watched.Renditions[r];
                foreach (var segment in read[r].Segments)
                {
                    if (segment.MediaSequence <= watched.LastMediaSequence[r])
                    {
                        continue;
                    }
                    cancellationToken.ThrowIfCancellationRequested();
                    var now = _options.Import.Clock.GetUtcNow();
                    long? initSeq = null;
                    if (segment.Map is { } map)
                    {
                        if (!inits.TryGetValue((rendition.Id, map), out var known))
                        {
                            var init = await _bundler.BundleAsync(source, rendition, map.Uri, map.ByteRange, null, null, seq, now, cancellationToken).ConfigureAwait(false);
                            inits.Add((rendition.Id, map), seq);
                            known = seq++;
                            yield return Count(init);
                        }
                        initSeq = known;
                    }
                    var media = await _bundler.BundleAsync(source, rendition, segment.Uri, segment.ByteRange, segment, initSeq, seq++, now, cancellationToken).ConfigureAwait(false);
                    watched.LastMediaSequence[r] = segment.MediaSequence;
                    watched.PeakBitRates[r] = Math.Max(watched.PeakBitRates[r], (long)Math.Ceiling(media.Imported.Size * 8 / segment.Duration.TotalSeconds));
                    Volatile.Write(ref _metadata, new StreamMetadata { Title = _options.Import.Title, Renditions = HlsRenditionPlanner.Describe(watched.Renditions, watched.PeakBitRates) });
                    if (_options.DeleteImportedSegments && segment.ByteRange is null)
                    {
                        File.Delete(segment.Uri.LocalPath);
                    }
                    yield return Count(media);
                }
            }
            if (lastPass || read.All(p => p.EndList))
            {
                yield break;
            }
            await PauseAsync(writerDone, cancellationToken).ConfigureAwait(false);
        }
    }

    private LiveBundle Count((SignedBundle Bundle, ImportedBundle Imported) made)
    {
        Bundles++;
        Bytes += made.Imported.Size;
        return new LiveBundle(made.Bundle, made.Imported);
    }

    /// <summary>
    /// Reads the playlist (the first time: which renditions it has) and every rendition's media
    /// playlist. Null when something is missing or unparsable right now; <paramref name="problem"/>
    /// is then the error to give up with, or null when the playlist simply does not exist yet.
    /// </summary>
    private static HlsMediaPlaylist[]? TryRead(string path, ref WatchedPlaylist? watched, out OverlayException? problem)
    {
        problem = null;
        try
        {
            if (watched is null)
            {
                var source = HlsSource.Open(path);
                watched = new WatchedPlaylist(source, HlsRenditionPlanner.Read(source, requireSegments: false));
            }
            var read = new HlsMediaPlaylist[watched.Renditions.Count];
            for (var r = 0; r < read.Length; r++)
            {
                read[r] = watched.Source.ReadPlaylist(watched.Renditions[r].Playlist.Uri) as HlsMediaPlaylist
                    ?? throw new MalformedDataException(HlsPlaylistParser.Format, $"{watched.Renditions[r].Playlist.Uri} became a master playlist");
            }
            return read;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (HlsUnsupportedException e) when (e.Message.Contains("holds no .m3u8", StringComparison.Ordinal))
        {
            // A folder the encoder has not written its playlist into yet.
            return null;
        }
        catch (MalformedDataException e) when (e is not HlsUnsupportedException)
        {
            problem = e;
            return null;
        }
    }

    /// <summary>Waits one poll interval, or less when the writer finishes first.</summary>
    private async Task PauseAsync(Task? writerDone, CancellationToken cancellationToken)
    {
        var delay = Task.Delay(_options.PollInterval, cancellationToken);
        await Task.WhenAny(delay, writerDone ?? delay).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>The playlist as first read, and how far each rendition has been imported.</summary>
    private sealed class WatchedPlaylist(HlsSource source, IReadOnlyList<HlsRenditionSource> renditions)
    {
        public HlsSource Source { get; } = source;

        public IReadOnlyList<HlsRenditionSource> Renditions { get; } = renditions;

        public long[] LastMediaSequence { get; } = Enumerable.Repeat(-1L, renditions.Count).ToArray();

        public long[] PeakBitRates { get; } = new long[renditions.Count];
    }
}
