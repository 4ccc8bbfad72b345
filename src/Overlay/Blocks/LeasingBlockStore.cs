using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Blocks;

/// <summary>A store that leases each block in its <see cref="BlockOperation"/> before passing the call on.</summary>
internal sealed class LeasingBlockStore(BlockOperation operation, IBlockStore inner) : IBlockStore
{
    public ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        operation.Lease(cid);
        return inner.PutAsync(cid, data, cancellationToken);
    }

    public ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        operation.Lease(cid);
        return inner.GetAsync(cid, cancellationToken);
    }

    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        operation.Lease(cid);
        return inner.HasAsync(cid, cancellationToken);
    }

    public ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        operation.Lease(cid);
        return inner.GetSizeAsync(cid, cancellationToken);
    }

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default) => inner.DeleteAsync(cid, cancellationToken);

    public IAsyncEnumerable<Cid> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
}
