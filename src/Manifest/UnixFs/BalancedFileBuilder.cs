// Layout: https://specs.ipfs.tech/ipips/ipip-0499/#balanced (as ipfs-unixfs-importer's balanced layout builds it)
using Overlay.Manifest.Blocks;
using Overlay.Manifest.DagPb;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.UnixFs;

/// <summary>
/// Builds the balanced file DAG while leaves stream in. The reference importers batch all
/// leaves into parents of at most <c>width</c> links, then batch those parents the same way,
/// until one node remains. Filling each level as it comes gives the same tree: a level's
/// batches are consecutive runs of its nodes. So only one unfinished batch per level is held
/// (≤ width link records), never the file.
/// </summary>
internal sealed class BalancedFileBuilder
{
    internal readonly record struct Node(Cid Cid, ulong ContentSize, ulong DagSize);

    private readonly IBlockStore _store;
    private readonly int _width;
    private readonly List<List<Node>> _levels = [];

    public BalancedFileBuilder(IBlockStore store, int width)
    {
        _store = store;
        _width = width;
    }

    public ValueTask AddLeafAsync(Node leaf, CancellationToken cancellationToken) => AddAsync(0, leaf, cancellationToken);

    /// <summary>Closes every level and returns the root. A file of one leaf is that leaf.</summary>
    public async ValueTask<Node> CompleteAsync(CancellationToken cancellationToken)
    {
        for (var level = 0; level < _levels.Count; level++)
        {
            var batch = _levels[level];
            var higherLevelsEmpty = _levels.Skip(level + 1).All(l => l.Count == 0);
            if (batch.Count == 1 && higherLevelsEmpty)
            {
                return batch[0];
            }
            if (batch.Count > 0)
            {
                // A trailing batch, even of one node, gets its parent so all leaves stay at one depth.
                var parent = await WriteParentAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                await AddAsync(level + 1, parent, cancellationToken).ConfigureAwait(false);
            }
        }
        throw new InvalidOperationException("a file needs at least one leaf");
    }

    private async ValueTask AddAsync(int level, Node node, CancellationToken cancellationToken)
    {
        if (level == _levels.Count)
        {
            _levels.Add(new List<Node>(_width));
        }
        var batch = _levels[level];
        batch.Add(node);
        if (batch.Count == _width)
        {
            var parent = await WriteParentAsync(batch, cancellationToken).ConfigureAwait(false);
            batch.Clear();
            await AddAsync(level + 1, parent, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<Node> WriteParentAsync(List<Node> children, CancellationToken cancellationToken)
    {
        var blockSizes = new ulong[children.Count];
        var links = new DagPbLink[children.Count];
        ulong contentSize = 0;
        ulong childDagSize = 0;
        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i];
            blockSizes[i] = child.ContentSize;
            contentSize += child.ContentSize;
            childDagSize += child.DagSize;
            // Helia and kubo name file chunk links "" (present, empty), so the bytes must too.
            links[i] = new DagPbLink(child.Cid, "", child.DagSize);
        }
        var data = new UnixFsData { Type = UnixFsType.File, FileSize = contentSize, BlockSizes = blockSizes }.Encode();
        var block = DagPb.DagPb.Encode(new DagPbNode(links, data, validate: false));
        var cid = Cid.Compute(Multicodec.DagPb, block);
        await _store.PutAsync(cid, block, cancellationToken).ConfigureAwait(false);
        return new Node(cid, contentSize, (ulong)block.Length + childDagSize);
    }
}
