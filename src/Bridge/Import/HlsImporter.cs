// Spec: specs/stream-import.md (how HLS becomes bundles); specs/bundle.md; specs/manifest.md.
using Overlay.Bridge.Hls;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;

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
    private readonly UnixFsImporter _unixFs;

    public HlsImporter(IBlockStore store, HlsImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Key);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSegmentBytes, 1);
        _store = store;
        _options = options;
        _unixFs = new UnixFsImporter(store, options.UnixFs);
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
        if (segment is not null && segment.Duration <= TimeSpan.Zero)
        {
            throw new MalformedDataException(HlsPlaylistParser.Format, $"segment {uri} has a zero duration");
        }
        using var file = source.OpenSegment(uri);
        var fileLength = RandomAccess.GetLength(file);
        var (offset, length) = range is { } r ? (r.Offset, r.Length) : (0L, fileLength);
        if (offset > fileLength || length > fileLength - offset)
        {
            throw new MalformedDataException(HlsPlaylistParser.Format, $"byte range {length}@{offset} of {uri} is past its end ({fileLength} bytes)");
        }
        if (length == 0)
        {
            throw new MalformedDataException(HlsPlaylistParser.Format, $"{uri} is empty");
        }
        if (length > _options.MaxSegmentBytes)
        {
            throw new LimitExceededException(HlsPlaylistParser.Format, "segment size", _options.MaxSegmentBytes, length);
        }
        var head = new byte[(int)Math.Min(SegmentFormat.SniffLength, length)];
        RandomAccess.Read(file, head, offset);
        var mediaType = SegmentFormat.MediaType(head, uri, rendition.IsAudio);
        var payload = await _unixFs.ImportFileAsync(new RangeReadStream(file, offset, length, uri.ToString()), cancellationToken).ConfigureAwait(false);
        var bundle = new Bundle
        {
            Stream = builder.Stream,
            Seq = builder.Size,
            Class = _options.Class,
            Created = now,
            Expires = now + _options.Class.DefaultLifetime(),
            Kind = segment is null ? BundleKind.Init : BundleKind.Media,
            MediaType = mediaType,
            Rendition = rendition.Id,
            Payload = payload.Cid,
            Size = length,
            Duration = segment?.Duration ?? TimeSpan.Zero,
            MediaSequence = segment?.MediaSequence ?? 0,
            DiscontinuitySequence = segment?.DiscontinuitySequence ?? 0,
            Discontinuity = segment?.Discontinuity ?? false,
            InitSeq = initSeq,
        }.Sign(_options.Key);
        await builder.AppendAsync(bundle, cancellationToken).ConfigureAwait(false);
        return new ImportedBundle(bundle.Bundle.Seq, bundle.Bundle.Kind, rendition.Id, bundle.Cid, payload.Cid, length, uri, range);
    }
}
