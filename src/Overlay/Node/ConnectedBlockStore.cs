using Overlay.Bitswap;
using Overlay.Host;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Node;

/// <summary>
/// The repo first, then bitswap — but only while the node has a connection: this node has no
/// content routing, so with nobody connected there is no one to ask, and a missing block is
/// reported absent at once instead of after the fetch timeout. Everything but reads is the
/// repo's (through bitswap's announcing store).
/// </summary>
internal sealed class ConnectedBlockStore(Libp2pHost host, BitswapService bitswap, NetworkBlockStore network) : IBlockStore
{
    /// <summary>The network store already tries the repo first, so each read touches the disk once.</summary>
    public ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default) =>
        host.Connections.Any(c => !c.Closed.IsCancellationRequested)
            ? network.GetAsync(cid, cancellationToken)
            : bitswap.LocalStore.GetAsync(cid, cancellationToken);

    public ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => network.PutAsync(cid, data, cancellationToken);

    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => network.HasAsync(cid, cancellationToken);

    public ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default) => network.GetSizeAsync(cid, cancellationToken);

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default) => network.DeleteAsync(cid, cancellationToken);

    public IAsyncEnumerable<Cid> ListAsync(CancellationToken cancellationToken = default) => network.ListAsync(cancellationToken);
}
