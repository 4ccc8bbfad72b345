using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Ipfs;

/// <summary>A store that changes only how blocks are read; everything else goes to <paramref name="inner"/>.</summary>
internal abstract class ForwardingBlockStore(IBlockStore inner) : IBlockStore
{
    protected IBlockStore Inner { get; } = inner;

    public abstract ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default);

    public ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => Inner.PutAsync(cid, data, cancellationToken);

    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => Inner.HasAsync(cid, cancellationToken);

    public ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default) => Inner.GetSizeAsync(cid, cancellationToken);

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default) => Inner.DeleteAsync(cid, cancellationToken);

    public IAsyncEnumerable<Cid> ListAsync(CancellationToken cancellationToken = default) => Inner.ListAsync(cancellationToken);
}
