// Spec: specs/stream-import.md (how HLS becomes bundles); specs/bundle.md; specs/manifest.md.
using Overlay.Bridge.Hls;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Streams;

namespace Overlay.Bridge.Import;

/// <summary>
/// Imports a local HLS folder or playlist (master or media) as a sealed VOD stream: every
/// rendition's init sections and media segments become UnixFS payloads in the
/// <see cref="IBlockStore"/>, each gets a bundle signed by the stream key, in playback order
/// across renditions, and one sealed head signs them all (specs/stream-import.md).
/// </summary>
public sealed class HlsImporter
{
    private readonly IBlockStore _store;
    private readonly HlsImportOptions _options;
    private readonly SegmentBundler _bundler;

    public HlsImporter(IBlockStore store, HlsImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Key);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSegmentBytes, 1);
        _store = store;
        _options = options;
        _bundler = new SegmentBundler(store, options.Key, options.Class, options.UnixFs, options.MaxSegmentBytes);
    }

    /// <summary>Imports the playlist at <paramref name="path"/>, or the playlist of the folder at it.</summary>
    public async Task<HlsImportResult> ImportAsync(string path, CancellationToken cancellationToken = default)
    {
        var source = HlsSource.Open(path);
        var renditions = HlsRenditionPlanner.Read(source);
        var now = _options.Clock.GetUtcNow();
        var builder = new StreamManifestBuilder(_options.Key, _store);
        var imported = new List<ImportedBundle>();
        var inits = new Dictionary<(string Rendition, HlsMap Map), long>();
        var peakBitRates = new long[renditions.Count];
        long bytes = 0;
        foreach (var (index, segment) in HlsRenditionPlanner.PlaybackOrder(renditions))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rendition = renditions[index];
            long? initSeq = null;
            if (segment.Map is { } map)
            {
                if (!inits.TryGetValue((rendition.Id, map), out var seq))
                {
                    seq = builder.Size;
                    var init = await AddAsync(source, builder, rendition, map.Uri, map.ByteRange, null, null, now, cancellationToken).ConfigureAwait(false);
                    inits.Add((rendition.Id, map), seq);
                    Report(imported, init, ref bytes);
                }
                initSeq = seq;
            }
            var media = await AddAsync(source, builder, rendition, segment.Uri, segment.ByteRange, segment, initSeq, now, cancellationToken).ConfigureAwait(false);
            Report(imported, media, ref bytes);
            peakBitRates[index] = Math.Max(peakBitRates[index], (long)Math.Ceiling(media.Size * 8 / segment.Duration.TotalSeconds));
        }
        builder.Metadata = new StreamMetadata { Title = _options.Title, Renditions = HlsRenditionPlanner.Describe(renditions, peakBitRates) };
        var head = await builder.SignHeadAsync(now, seal: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new HlsImportResult(head, imported);
    }

    private void Report(List<ImportedBundle> imported, ImportedBundle bundle, ref long bytes)
    {
        imported.Add(bundle);
        bytes += bundle.Size;
        _options.Progress?.Report(new HlsImportProgress(imported.Count, bytes));
    }

    /// <summary>Imports one payload (the whole file or its byte range), signs its bundle and appends it.</summary>
    private async Task<ImportedBundle> AddAsync(
        HlsSource source, StreamManifestBuilder builder, HlsRenditionSource rendition, Uri uri, HlsByteRange? range,
        HlsSegment? segment, long? initSeq, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (bundle, imported) = await _bundler.BundleAsync(source, rendition, uri, range, segment, initSeq, builder.Size, now, cancellationToken).ConfigureAwait(false);
        await builder.AppendAsync(bundle, cancellationToken).ConfigureAwait(false);
        return imported;
    }
}
