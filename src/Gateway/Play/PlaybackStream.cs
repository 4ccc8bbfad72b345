// Spec: specs/gateway-hls.md §3 (what "verified" means for a served segment).
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;

namespace Overlay.Gateway.Play;

/// <summary>
/// The gateway's view of one stream: the newest verified head the node holds, the page tree
/// under it, and the bundles read so far. A bundle is handed out only after its block hashed to
/// the leaf CID that the verified page tree lists at its position (inclusion in the signed head:
/// every page-tree node was checked against the signed root on the way down), the stream key's
/// signature verified over its exact bytes, its <c>seq</c> is that position, and its rendition is
/// one the head lists. Bundles are cached by CID, so a growing stream costs only its new leaves.
/// </summary>
internal sealed class PlaybackStream
{
    /// <summary>Bundles kept per stream (a few hundred bytes each): about ten hours of 2 s segments.</summary>
    private const int MaxCachedBundles = 1 << 15;

    /// <summary>Leaves a live playlist looks back over to fill its window (renditions interleave).</summary>
    private const int MaxTailScan = 4096;

    private const int TailChunk = 64;

    /// <summary>Bundle blocks fetched at once when a range is read (they are small).</summary>
    private const int BundleConcurrency = 8;

    private readonly IBlockStore _local;
    private readonly SemaphoreSlim _readerGate = new(1, 1);
    private readonly Lock _cacheGate = new();
    private readonly Dictionary<Cid, SignedBundle> _bundles = [];
    private StreamManifestReader? _reader;
    private int _targetDuration = 1;

    public PlaybackStream(PeerId stream, IBlockStore blocks, IBlockStore local)
    {
        Stream = stream;
        Address = stream.ToBase36Name();
        Blocks = blocks;
        _local = local;
    }

    public PeerId Stream { get; }

    public string Address { get; }

    /// <summary>Where this stream's blocks are read from (the repo, then peers).</summary>
    public IBlockStore Blocks { get; }

    /// <summary>The largest target duration a playlist of this stream has shown (it must never shrink).</summary>
    public int TargetDuration => Volatile.Read(ref _targetDuration);

    /// <summary>The highest seq the prefetcher has worked up to.</summary>
    public long PrefetchedThrough { get; set; } = -1;

    /// <summary>
    /// The head whose CID is <paramref name="headCid"/> (what the stream service verified), read
    /// from the repo and verified again against this stream's key; null while the follower has
    /// not stored the block yet.
    /// </summary>
    public async Task<SignedTreeHead?> HeadAsync(string headCid, CancellationToken cancellationToken)
    {
        if (_reader is { } known && known.Head.Cid.ToString() == headCid)
        {
            return known.Head;
        }
        var cid = Cid.Parse(headCid);
        if (await _local.GetAsync(cid, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return null;
        }
        if (!cid.Matches(bytes.Span))
        {
            throw new VerificationException($"head block {cid} does not hash to its CID");
        }
        var head = SignedTreeHead.Decode(bytes.Span, Stream);
        await _readerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_reader is null || _reader.Head.Head.Size <= head.Head.Size)
            {
                _reader = new StreamManifestReader(Blocks, head);
            }
        }
        finally
        {
            _readerGate.Release();
        }
        return head;
    }

    /// <summary>Verified bundle <paramref name="seq"/> of <paramref name="head"/>.</summary>
    public async Task<SignedBundle> BundleAsync(SignedTreeHead head, long seq, CancellationToken cancellationToken) =>
        (await RangeAsync(head, seq, seq + 1, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Verified bundles [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="head"/>, in seq order.</summary>
    public async Task<IReadOnlyList<SignedBundle>> RangeAsync(SignedTreeHead head, long start, long end, CancellationToken cancellationToken)
    {
        var leaves = await LeavesAsync(head, start, end, cancellationToken).ConfigureAwait(false);
        var result = new SignedBundle[leaves.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = BundleConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, leaves.Count), parallel, async (i, ct) =>
            result[i] = await VerifiedBundleAsync(head, start + i, leaves[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// The last <paramref name="count"/> media bundles of <paramref name="rendition"/> (fewer when
    /// the stream has fewer), scanning back from the live edge, with the init bundles they name.
    /// </summary>
    public async Task<IReadOnlyList<SignedBundle>> TailAsync(SignedTreeHead head, string rendition, int count, CancellationToken cancellationToken)
    {
        var found = new List<SignedBundle>();
        var end = head.Head.Size;
        var floor = Math.Max(0, end - MaxTailScan);
        while (end > floor && found.Count(b => IsMediaOf(b, rendition)) < count)
        {
            var start = Math.Max(floor, end - TailChunk);
            found.InsertRange(0, await RangeAsync(head, start, end, cancellationToken).ConfigureAwait(false));
            end = start;
        }
        var media = found.Where(b => IsMediaOf(b, rendition)).ToList();
        return media.Skip(Math.Max(0, media.Count - count)).ToList();
    }

    /// <summary>Raises the stream's target duration to <paramref name="seconds"/> when larger, and returns the result.</summary>
    public int RaiseTargetDuration(int seconds)
    {
        int current;
        while ((current = Volatile.Read(ref _targetDuration)) < seconds)
        {
            if (Interlocked.CompareExchange(ref _targetDuration, seconds, current) == current)
            {
                return seconds;
            }
        }
        return current;
    }

    public static bool IsMediaOf(SignedBundle bundle, string rendition) =>
        bundle.Bundle.Kind == BundleKind.Media && bundle.Bundle.Rendition == rendition;

    private async Task<IReadOnlyList<Cid>> LeavesAsync(SignedTreeHead head, long start, long end, CancellationToken cancellationToken)
    {
        await _readerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A larger head than the reader's replaced it already; an older one (a request that
            // began before) still reads the prefix it signed, which the newer tree contains.
            var reader = _reader is { } current && current.Head.Cid == head.Cid ? current : new StreamManifestReader(Blocks, head);
            return await reader.GetLeavesAsync(start, end, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _readerGate.Release();
        }
    }

    private async Task<SignedBundle> VerifiedBundleAsync(SignedTreeHead head, long seq, Cid leaf, CancellationToken cancellationToken)
    {
        lock (_cacheGate)
        {
            if (_bundles.TryGetValue(leaf, out var cached))
            {
                return cached;
            }
        }
        var bytes = await Blocks.GetAsync(leaf, cancellationToken).ConfigureAwait(false) ?? throw new BlockNotFoundException(leaf);
        if (!leaf.Matches(bytes.Span))
        {
            throw new VerificationException($"bundle block {leaf} does not hash to its CID");
        }
        var bundle = SignedBundle.Decode(bytes.Span, Stream);
        if (bundle.Bundle.Seq != seq)
        {
            throw new VerificationException($"leaf {seq} of {head} holds a bundle that says it is {bundle.Bundle.Seq}");
        }
        var renditions = head.Head.Metadata.Renditions;
        if (renditions.Count == 0 ? bundle.Bundle.Rendition.Length != 0 : renditions.All(r => r.Id != bundle.Bundle.Rendition))
        {
            throw new VerificationException($"bundle {seq} names rendition '{bundle.Bundle.Rendition}', which the head does not list");
        }
        lock (_cacheGate)
        {
            if (_bundles.Count >= MaxCachedBundles)
            {
                _bundles.Clear();
            }
            _bundles[leaf] = bundle;
        }
        return bundle;
    }
}
