// Spec: specs/manifest.md §4.2 (reading and verifying the page tree) and §5 (proofs from it).
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Streams;

/// <summary>
/// The follower's view of a verified head's page tree. Every node is fetched top-down from
/// <see cref="IBlockStore"/> (which may fetch from the network) and accepted only when its bytes
/// match its CID and its node hash matches the signed root along its path, so each answer is
/// as trustworthy as the head's signature. A missing block is <see cref="BlockNotFoundException"/>.
/// Not thread-safe.
/// </summary>
public sealed class StreamManifestReader
{
    private readonly IBlockStore _store;
    private readonly Dictionary<(int Height, long Start), PageTreeNode> _nodes = [];

    public StreamManifestReader(IBlockStore store, SignedTreeHead head)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(head);
        _store = store;
        Head = head;
    }

    public SignedTreeHead Head { get; }

    private long Size => Head.Head.Size;

    /// <summary>The bundle CID at leaf <paramref name="seq"/>.</summary>
    public async ValueTask<Cid> GetLeafAsync(long seq, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(seq, Size);
        var page = await GetNodeAsync(0, seq, cancellationToken).ConfigureAwait(false);
        return page.Leaves[seq - page.Start];
    }

    /// <summary>The bundle CIDs of leaves [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public async ValueTask<IReadOnlyList<Cid>> GetLeavesAsync(long start, long end, CancellationToken cancellationToken = default)
    {
        if (start < 0 || end < start || end > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(end), $"[{start}, {end}) is outside a tree of {Size}");
        }
        var leaves = new List<Cid>((int)Math.Min(end - start, 1 << 20));
        for (var at = start; at < end;)
        {
            var page = await GetNodeAsync(0, at, cancellationToken).ConfigureAwait(false);
            var stop = Math.Min(end, page.Start + page.Count);
            leaves.AddRange(page.Leaves.AsSpan((int)(at - page.Start), (int)(stop - at)));
            at = stop;
        }
        return leaves;
    }

    /// <summary>PATH(seq, D[0:size]) for this head, from the page tree.</summary>
    public async ValueTask<IReadOnlyList<byte[]>> ProveInclusionAsync(long seq, CancellationToken cancellationToken = default) =>
        await HashRangesAsync(MerkleProof.InclusionRanges(seq, Size), cancellationToken).ConfigureAwait(false);

    /// <summary>PROOF(firstSize, D[0:size]) for this head, from the page tree.</summary>
    public async ValueTask<IReadOnlyList<byte[]>> ProveConsistencyAsync(long firstSize, CancellationToken cancellationToken = default) =>
        await HashRangesAsync(MerkleProof.ConsistencyRanges(firstSize, Size), cancellationToken).ConfigureAwait(false);

    /// <summary>Fetches and verifies every node of the page tree (a full audit of the head).</summary>
    public async ValueTask VerifyAllAsync(CancellationToken cancellationToken = default)
    {
        for (var at = 0L; at < Size; at += PageTree.Capacity(0))
        {
            await GetNodeAsync(0, at, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<IReadOnlyList<byte[]>> HashRangesAsync(IReadOnlyList<LeafRange> ranges, CancellationToken cancellationToken)
    {
        var hashes = new byte[ranges.Count][];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = await RangeHashAsync(ranges[i], cancellationToken).ConfigureAwait(false);
        }
        return hashes;
    }

    /// <summary>MTH(D[start:end]): from a page's leaves, from index entries, or by the RFC split.</summary>
    private async ValueTask<byte[]> RangeHashAsync(LeafRange range, CancellationToken cancellationToken)
    {
        if (range.Start == 0 && range.End == Size)
        {
            return Head.Head.Root.ToArray();
        }
        var node = await RootAsync(cancellationToken).ConfigureAwait(false);
        while (node.Height > 0)
        {
            var span = PageTree.ChildSpan(node.Height);
            var first = (int)((range.Start - node.Start) / span);
            var last = (int)((range.End - 1 - node.Start) / span);
            var firstStart = node.Start + first * span;
            var lastEnd = Math.Min(node.Start + (last + 1) * span, node.Start + node.Count);
            if (range.Start == firstStart && range.End == lastEnd)
            {
                // Whole children: their hashes combine exactly as the leaves would (manifest.md §4.1).
                return PageTree.NodeHash(node.Entries[first..(last + 1)].Select(e => e.Hash).ToArray());
            }
            if (first != last)
            {
                var k = MerkleTree.LargestPowerOfTwoBelow(range.Count);
                var left = await RangeHashAsync(new LeafRange(range.Start, range.Start + k), cancellationToken).ConfigureAwait(false);
                var right = await RangeHashAsync(new LeafRange(range.Start + k, range.End), cancellationToken).ConfigureAwait(false);
                return MerkleTree.HashChildren(left, right);
            }
            node = await ChildAsync(node, first, cancellationToken).ConfigureAwait(false);
        }
        return MerkleTree.RootOf(node.LeafHashes, (int)(range.Start - node.Start), (int)(range.End - node.Start));
    }

    private async ValueTask<PageTreeNode> GetNodeAsync(int height, long leaf, CancellationToken cancellationToken)
    {
        var node = await RootAsync(cancellationToken).ConfigureAwait(false);
        while (node.Height > height)
        {
            node = await ChildAsync(node, (int)((leaf - node.Start) / PageTree.ChildSpan(node.Height)), cancellationToken).ConfigureAwait(false);
        }
        return node;
    }

    private ValueTask<PageTreeNode> RootAsync(CancellationToken cancellationToken) =>
        LoadAsync(Head.Head.Leaves, PageTree.HeightOf(Size), 0, Size, Head.Head.Root.ToArray(), cancellationToken);

    private ValueTask<PageTreeNode> ChildAsync(PageTreeNode parent, int index, CancellationToken cancellationToken)
    {
        var span = PageTree.ChildSpan(parent.Height);
        var start = parent.Start + index * span;
        var entry = parent.Entries[index];
        return LoadAsync(entry.Link, parent.Height - 1, start, Math.Min(span, parent.Start + parent.Count - start), entry.Hash, cancellationToken);
    }

    private async ValueTask<PageTreeNode> LoadAsync(Cid cid, int height, long start, long count, byte[] expectedHash, CancellationToken cancellationToken)
    {
        if (_nodes.TryGetValue((height, start), out var cached))
        {
            return cached;
        }
        var block = await _store.GetAsync(cid, cancellationToken).ConfigureAwait(false)
            ?? throw new BlockNotFoundException(cid);
        var bytes = block.Span;
        if (bytes.Length > StreamLimits.MaxNodeBytes)
        {
            throw new LimitExceededException(PageTree.Format, "page-tree node size", StreamLimits.MaxNodeBytes, bytes.Length);
        }
        if (!cid.Matches(bytes))
        {
            throw new VerificationException($"page-tree block {cid} does not hash to its CID");
        }
        PageTreeNode node;
        if (height == 0)
        {
            var leaves = PageTree.DecodePage(bytes, (int)count);
            node = new PageTreeNode { Height = 0, Start = start, Count = count, Leaves = leaves, LeafHashes = leaves.Select(l => MerkleTree.HashLeaf(l.Bytes)).ToArray() };
        }
        else
        {
            var entries = PageTree.DecodeIndex(bytes, PageTree.ChildCount(height, count));
            node = new PageTreeNode { Height = height, Start = start, Count = count, Entries = entries };
        }
        if (!PageTree.NodeHash(node.ChildHashes).AsSpan().SequenceEqual(expectedHash))
        {
            throw new VerificationException($"page-tree node {cid} (height {height}, leaves [{start}, {start + count})) does not match the signed root of size {Size}");
        }
        _nodes[(height, start)] = node;
        return node;
    }
}
