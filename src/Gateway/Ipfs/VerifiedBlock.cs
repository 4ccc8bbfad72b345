using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Ipfs;

/// <summary>
/// One block by CID for the raw, CAR and codec answers. The gateway's store is the node's:
/// the repo re-hashes every block it reads (quarantining a mismatch) and bitswap hashes every
/// block on arrival, so the bytes are verified exactly once on their way here; this adds the
/// checks those stores do not make (size cap, a hash function we can verify, identity CIDs).
/// </summary>
internal static class VerifiedBlock
{
    /// <summary>Bitswap's block ceiling; nothing larger is ever fetched or served.</summary>
    public const int MaxBlockSize = 2 * 1024 * 1024;

    /// <exception cref="BlockNotFoundException">No peer sent it within the bound.</exception>
    /// <exception cref="VerificationException">The bytes do not hash to the CID.</exception>
    public static async ValueTask<ReadOnlyMemory<byte>> GetAsync(IBlockStore store, Cid cid, CancellationToken cancellationToken)
    {
        if (cid.Hash.Code == Multicodec.Identity)
        {
            return cid.Hash.Digest.ToArray();
        }
        var block = await store.GetAsync(cid, cancellationToken).ConfigureAwait(false) ?? throw new BlockNotFoundException(cid);
        if (block.Length > MaxBlockSize)
        {
            throw new LimitExceededException("block", "block size", MaxBlockSize, block.Length);
        }
        if (!MultihashAlgorithm.TryGet(cid.Hash.Code, out _))
        {
            throw new VerificationException($"block {cid}: hash function {Multicodec.NameOf(cid.Hash.Code)} cannot be verified here");
        }
        return block;
    }
}
