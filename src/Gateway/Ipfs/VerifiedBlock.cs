using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Ipfs;

/// <summary>
/// One block by CID for the raw, CAR and codec answers. The gateway's store is the node's: the
/// repo re-hashes every block it reads (quarantining a mismatch) and bitswap hashes and
/// size-checks every block on arrival, so the bytes come here verified exactly once; hashing
/// them again would double the cost of a raw answer (bench/analysis.md, "Gateway").
/// </summary>
internal static class VerifiedBlock
{
    /// <exception cref="BlockNotFoundException">No peer sent it within the bound.</exception>
    public static async ValueTask<ReadOnlyMemory<byte>> GetAsync(IBlockStore store, Cid cid, CancellationToken cancellationToken) =>
        // Identity CIDs carry their bytes; no store has them.
        cid.Hash.Code == Multicodec.Identity
            ? cid.Hash.Digest.ToArray()
            : await store.GetAsync(cid, cancellationToken).ConfigureAwait(false) ?? throw new BlockNotFoundException(cid);
}
