// Spec: specs/stream-import.md §3 (bundles: payloads, byte ranges, media types).
using Overlay.Bridge.Hls;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;

namespace Overlay.Bridge.Import;

/// <summary>
/// Turns one segment or init section of an HLS source into a UnixFS payload in the store and a
/// bundle signed by the stream key: the one step the VOD importer (<see cref="HlsImporter"/>)
/// and the live importer (<c>Live.LivePlaylistWatcher</c>) share.
/// </summary>
internal sealed class SegmentBundler
{
    private readonly Ed25519PrivateKey _key;
    private readonly PriorityClass _class;
    private readonly long _maxSegmentBytes;
    private readonly UnixFsImporter _unixFs;

    public SegmentBundler(IBlockStore store, Ed25519PrivateKey key, PriorityClass priority, UnixFsImportOptions unixFs, long maxSegmentBytes)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSegmentBytes, 1);
        _key = key;
        _class = priority;
        _maxSegmentBytes = maxSegmentBytes;
        _unixFs = new UnixFsImporter(store, unixFs);
    }

    /// <summary>
    /// Imports the payload (the whole file or its byte range) and signs bundle <paramref name="seq"/>
    /// for it, created at <paramref name="now"/> and expiring after the class's default lifetime.
    /// A null <paramref name="segment"/> makes an init bundle.
    /// </summary>
    public async Task<(SignedBundle Bundle, ImportedBundle Imported)> BundleAsync(
        HlsSource source, HlsRenditionSource rendition, Uri uri, HlsByteRange? range,
        HlsSegment? segment, long? initSeq, long seq, DateTimeOffset now, CancellationToken cancellationToken)
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
        if (length > _maxSegmentBytes)
        {
            throw new LimitExceededException(HlsPlaylistParser.Format, "segment size", _maxSegmentBytes, length);
        }
        var head = new byte[(int)Math.Min(SegmentFormat.SniffLength, length)];
        RandomAccess.Read(file, head, offset);
        var mediaType = SegmentFormat.MediaType(head, uri, rendition.IsAudio);
        var payload = await _unixFs.ImportFileAsync(new RangeReadStream(file, offset, length, uri.ToString()), cancellationToken).ConfigureAwait(false);
        var bundle = new Bundle
        {
            Stream = _key.PeerId,
            Seq = seq,
            Class = _class,
            Created = now,
            Expires = now + _class.DefaultLifetime(),
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
        }.Sign(_key);
        return (bundle, new ImportedBundle(seq, bundle.Bundle.Kind, rendition.Id, bundle.Cid, payload.Cid, length, uri, range));
    }
}
