using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Blocks;

/// <summary>
/// Content-addressed block storage: the one seam importers, codecs and the node share.
/// Implementations key by multihash, so a CIDv0 and the equal CIDv1 name one stored block;
/// they may assume the caller verified <c>cid.Matches(data)</c> or wrap themselves in a
/// validating decorator.
/// </summary>
public interface IBlockStore
{
    /// <summary>Stores a block; putting a block that is already present is a no-op.</summary>
    ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>The block's bytes, or null when this store does not have it.</summary>
    ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default);

    ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default);

    /// <summary>The block's size in bytes, or null when absent.</summary>
    ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default);

    /// <summary>Removes a block; removing an absent block is a no-op.</summary>
    ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default);

    /// <summary>Every stored block's multihash (as a raw-codec CIDv1, since codecs are not stored).</summary>
    IAsyncEnumerable<Cid> ListAsync(CancellationToken cancellationToken = default);
}
