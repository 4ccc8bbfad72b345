// Spec: https://specs.ipfs.tech/unixfs/#dag-pb-file (sister lists Links / blocksizes, offset list)
using System.Runtime.CompilerServices;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.DagPb;
using Overlay.Manifest.Errors;

namespace Overlay.Manifest.UnixFs;

/// <summary>
/// Yields the bytes [start, end) of a UnixFS file. The blocksizes of each node say which
/// children overlap the range, so only blocks that hold requested bytes (and their ancestors)
/// are fetched; each is verified against its CID, and every child's real size is checked
/// against the size its parent declared, so a lying parent cannot shift bytes.
/// </summary>
internal static class FileRangeReader
{
    public static IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(IBlockStore store, UnixFsNode root, ulong start, ulong end, UnixFsReaderOptions options, CancellationToken cancellationToken) =>
        ReadNodeAsync(store, root, expectedSize: null, start, end, depth: 0, options, cancellationToken);

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadNodeAsync(
        IBlockStore store, UnixFsNode node, ulong? expectedSize, ulong start, ulong end, int depth, UnixFsReaderOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!node.IsFile)
        {
            throw new MalformedDataException(UnixFsData.FormatName, $"{node.Cid}: a {node.Type} node inside a file");
        }
        var size = node.ContentSize();
        if (expectedSize is { } expected && expected != size)
        {
            throw new MalformedDataException(UnixFsData.FormatName, $"{node.Cid}: parent declares {expected} bytes, node holds {size}");
        }
        end = Math.Min(end, size);
        if (start >= end)
        {
            yield break;
        }
        if (node.Pb is null)
        {
            yield return node.Block[(int)start..(int)end];
            yield break;
        }
        var inline = node.Data!.Data ?? ReadOnlyMemory<byte>.Empty;
        if (start < (ulong)inline.Length)
        {
            yield return inline[(int)start..(int)Math.Min(end, (ulong)inline.Length)];
        }
        var wanted = ChildrenInRange(node, (ulong)inline.Length, start, end);
        if (wanted.Count > 0 && depth + 1 > options.MaxDepth)
        {
            throw new LimitExceededException(UnixFsData.FormatName, "DAG depth", options.MaxDepth, depth + 1);
        }
        var pending = new Queue<Task<ReadOnlyMemory<byte>>>();
        var requested = 0;
        try
        {
            for (var i = 0; i < wanted.Count; i++)
            {
                while (requested < wanted.Count && requested <= i + options.Prefetch)
                {
                    pending.Enqueue(VerifiedBlocks.GetAsync(store, wanted[requested].Link.Hash, cancellationToken).AsTask());
                    requested++;
                }
                var (link, childSize, childStart) = wanted[i];
                var child = UnixFsNode.Decode(link.Hash, await pending.Dequeue().ConfigureAwait(false));
                var from = start > childStart ? start - childStart : 0;
                var to = end - childStart;
                await foreach (var chunk in ReadNodeAsync(store, child, childSize, from, to, depth + 1, options, cancellationToken).ConfigureAwait(false))
                {
                    yield return chunk;
                }
            }
        }
        finally
        {
            // Look-ahead fetches the reader no longer wants are still awaited, never abandoned.
            while (pending.TryDequeue(out var abandoned))
            {
                try
                {
                    await abandoned.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The enumeration already ended (or failed); an unwanted block's error is moot.
                }
            }
        }
    }

    private static List<(DagPbLink Link, ulong Size, ulong Start)> ChildrenInRange(UnixFsNode node, ulong inlineLength, ulong start, ulong end)
    {
        var links = node.Pb!.Links;
        var blockSizes = node.Data!.BlockSizes;
        if (links.Count != blockSizes.Count)
        {
            throw new MalformedDataException(UnixFsData.FormatName, $"{node.Cid}: {links.Count} links but {blockSizes.Count} blocksizes");
        }
        var wanted = new List<(DagPbLink, ulong, ulong)>();
        var position = inlineLength;
        for (var i = 0; i < links.Count; i++)
        {
            if (!string.IsNullOrEmpty(links[i].Name))
            {
                throw new MalformedDataException(UnixFsData.FormatName, $"{node.Cid}: file chunk link {i} has a name");
            }
            var childEnd = position + blockSizes[i];
            if (blockSizes[i] > 0 && childEnd > start && position < end)
            {
                wanted.Add((links[i], blockSizes[i], position));
            }
            position = childEnd;
        }
        return wanted;
    }
}
