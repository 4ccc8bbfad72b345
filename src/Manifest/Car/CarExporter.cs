// Spec: https://ipld.io/specs/transport/car/carv1/#determinism ; order/dups: https://specs.ipfs.tech/http-gateways/trustless-gateway/
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Car;

/// <summary>
/// Writes the DAG under a root as a CARv1 in depth-first pre-order (root first, then each
/// link's sub-DAG in link order: the trustless gateway's <c>order=dfs</c>), every block
/// verified against its CID on the way out. Identity CIDs are never written (their bytes are in
/// the CID). With <c>duplicates: false</c> (<c>dups=n</c>) a block appears once.
/// </summary>
public static class CarExporter
{
    /// <summary>Exports and returns the number of blocks written.</summary>
    /// <exception cref="BlockNotFoundException">The store lacks a block of the DAG.</exception>
    /// <exception cref="Errors.VerificationException">A stored block does not match its CID.</exception>
    public static async Task<long> ExportAsync(IBlockStore store, Cid root, Stream output, bool duplicates = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(root);
        var writer = await CarWriter.CreateAsync(output, [root], cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<Cid>();
        // An explicit stack (links pushed in reverse) walks pre-order without recursion, so a
        // deep DAG costs heap, not call stack.
        var pending = new Stack<Cid>();
        pending.Push(root);
        while (pending.TryPop(out var cid))
        {
            if (cid.Hash.Code == Multicodec.Identity || (!seen.Add(cid) && !duplicates))
            {
                continue;
            }
            var block = await VerifiedBlocks.GetAsync(store, cid, cancellationToken).ConfigureAwait(false);
            await writer.WriteBlockAsync(cid, block, cancellationToken).ConfigureAwait(false);
            var links = DagLinks.Of(cid, block.Span);
            for (var i = links.Count - 1; i >= 0; i--)
            {
                pending.Push(links[i]);
            }
        }
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return writer.BlockCount;
    }
}
