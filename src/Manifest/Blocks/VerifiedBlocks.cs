using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Blocks;

/// <summary>
/// Fetches blocks for DAG walks (UnixFS reads, CAR export) and checks each against its CID
/// before anything parses it, so a corrupt or substituted block never reaches a decoder.
/// </summary>
internal static class VerifiedBlocks
{
    /// <summary>
    /// Largest block a walk accepts: 2 MiB, the Bitswap block ceiling (and what the UnixFS spec
    /// requires readers to handle).
    /// </summary>
    public const int MaxBlockSize = 2 * 1024 * 1024;

    /// <summary>
    /// The block's bytes, verified. Identity CIDs carry their bytes inline and need no store.
    /// Throws <see cref="BlockNotFoundException"/> when absent and <see cref="VerificationException"/>
    /// when the bytes do not hash to the CID or the hash function is one we cannot compute.
    /// </summary>
    public static async ValueTask<ReadOnlyMemory<byte>> GetAsync(IBlockStore store, Cid cid, CancellationToken cancellationToken)
    {
        if (cid.Hash.Code == Multicodec.Identity)
        {
            return cid.Hash.Digest.ToArray();
        }
        var block = await store.GetAsync(cid, cancellationToken).ConfigureAwait(false)
            ?? throw new BlockNotFoundException(cid);
        Verify(cid, block.Span);
        return block;
    }

    /// <summary>
    /// Shortest digest trusted to name a block, as boxo's verifcid requires: the multihash spec
    /// allows truncation, but a digest of a few bytes lets anyone search for a substitute block.
    /// </summary>
    public const int MinimumDigestLength = 20;

    public static void Verify(Cid cid, ReadOnlySpan<byte> block)
    {
        if (block.Length > MaxBlockSize)
        {
            throw new LimitExceededException("block", "block size", MaxBlockSize, block.Length);
        }
        if (!MultihashAlgorithm.TryGet(cid.Hash.Code, out _))
        {
            throw new VerificationException($"block {cid}: hash function {Multicodec.NameOf(cid.Hash.Code)} cannot be verified here");
        }
        if (cid.Hash.Code != Multicodec.Identity && cid.Hash.DigestLength < MinimumDigestLength)
        {
            throw new VerificationException($"block {cid}: a {cid.Hash.DigestLength}-byte digest is too short to verify a block (at least {MinimumDigestLength})");
        }
        if (!cid.Matches(block))
        {
            throw new VerificationException($"block {cid}: bytes do not match the CID's hash");
        }
    }
}
