// Spec: specs/manifest.md §4 (the page tree: fan-out 256, pages of bundle CIDs, index nodes of [link, hash]).
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Streams;

/// <summary>Layout arithmetic and the block codec of the page tree; shared by the builder and the reader.</summary>
internal static class PageTree
{
    public const string Format = "page-tree";

    private const int FanoutBits = 8;

    /// <summary>256^7 = 2^56 ≥ 2^53 leaves, so heights stay at most 6.</summary>
    public const int MaxHeight = 6;

    /// <summary>The smallest H ≥ 0 with size ≤ 256^(H+1).</summary>
    public static int HeightOf(long size)
    {
        if (size is < 1 or > StreamLimits.MaxSafeInteger)
        {
            throw new ArgumentOutOfRangeException(nameof(size));
        }
        var height = 0;
        while (size > Capacity(height))
        {
            height++;
        }
        return height;
    }

    /// <summary>Leaves covered by each child of a node at <paramref name="height"/> (1 for a page).</summary>
    public static long ChildSpan(int height) => 1L << (FanoutBits * height);

    /// <summary>Leaves a node at <paramref name="height"/> covers when full.</summary>
    public static long Capacity(int height) => 1L << (FanoutBits * (height + 1));

    /// <summary>Number of children (links or entries) of a node at <paramref name="height"/> covering <paramref name="count"/> leaves.</summary>
    public static int ChildCount(int height, long count) => (int)((count + ChildSpan(height) - 1) / ChildSpan(height));

    /// <summary>manifest.md §4.1: MTH of a node's leaves from its children's hashes.</summary>
    public static byte[] NodeHash(IReadOnlyList<byte[]> childHashes) => MerkleTree.RootOf(childHashes);

    public static byte[] EncodePage(IEnumerable<Cid> leaves) =>
        DagCbor.Encode(new IpldList(leaves.Select(cid => (IpldNode)cid)));

    public static byte[] EncodeIndex(IEnumerable<PageTreeEntry> entries) =>
        DagCbor.Encode(new IpldList(entries.Select(e => (IpldNode)new IpldList([e.Link, e.Hash]))));

    public static Cid[] DecodePage(ReadOnlySpan<byte> bytes, int expectedCount)
    {
        var items = DecodeList(bytes, expectedCount);
        var leaves = new Cid[items.Count];
        for (var i = 0; i < leaves.Length; i++)
        {
            if (items[i] is not IpldLink { Cid: var cid } || !StreamFields.IsDagCborLink(cid))
            {
                throw new MalformedDataException(Format, $"page element {i} is not a CIDv1 dag-cbor sha2-256 link");
            }
            leaves[i] = cid;
        }
        return leaves;
    }

    public static PageTreeEntry[] DecodeIndex(ReadOnlySpan<byte> bytes, int expectedCount)
    {
        var items = DecodeList(bytes, expectedCount);
        var entries = new PageTreeEntry[items.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            if (items[i] is not IpldList { Items: [IpldLink { Cid: var link }, IpldBytes { Value: var hash }] }
                || !StreamFields.IsDagCborLink(link) || hash.Length != MerkleTree.HashLength)
            {
                throw new MalformedDataException(Format, $"index entry {i} is not [dag-cbor link, 32-byte hash]");
            }
            entries[i] = new PageTreeEntry(link, hash.ToArray());
        }
        return entries;
    }

    private static IReadOnlyList<IpldNode> DecodeList(ReadOnlySpan<byte> bytes, int expectedCount)
    {
        if (bytes.Length > StreamLimits.MaxNodeBytes)
        {
            throw new LimitExceededException(Format, "page-tree node size", StreamLimits.MaxNodeBytes, bytes.Length);
        }
        if (DagCbor.Decode(bytes) is not IpldList list)
        {
            throw new MalformedDataException(Format, "a page-tree node is a list");
        }
        if (list.Items.Count != expectedCount)
        {
            throw new MalformedDataException(Format, $"node has {list.Items.Count} children where its position requires {expectedCount}");
        }
        return list.Items;
    }
}
