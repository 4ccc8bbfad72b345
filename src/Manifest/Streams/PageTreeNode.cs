namespace Overlay.Manifest.Streams;

/// <summary>A verified page-tree node at a known position: a page (leaves) or an index node (entries).</summary>
internal sealed class PageTreeNode
{
    public required int Height { get; init; }

    /// <summary>First leaf covered.</summary>
    public required long Start { get; init; }

    /// <summary>Leaves covered.</summary>
    public required long Count { get; init; }

    /// <summary>Bundle CIDs (pages only).</summary>
    public Multiformats.Cid[] Leaves { get; init; } = [];

    /// <summary>Leaf hashes of <see cref="Leaves"/> (pages only).</summary>
    public byte[][] LeafHashes { get; init; } = [];

    /// <summary>Children (index nodes only).</summary>
    public PageTreeEntry[] Entries { get; init; } = [];

    /// <summary>Hashes of the children: leaf hashes for a page, entry hashes otherwise.</summary>
    public IReadOnlyList<byte[]> ChildHashes => Height == 0 ? LeafHashes : Entries.Select(e => e.Hash).ToArray();
}
