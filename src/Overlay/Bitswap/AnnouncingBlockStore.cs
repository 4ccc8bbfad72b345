using Overlay.Bitswap.Server;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap;

/// <summary>
/// The local store with bitswap's put hook: every block put here (imported or fetched) is
/// offered to the peers whose wantlists were waiting for it.
/// </summary>
internal sealed class AnnouncingBlockStore(IBlockStore inner, BitswapServer server) : IBlockStore
{
    public async ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        await inner.PutAsync(cid, data, cancellationToken).ConfigureAwait(false);
        server.NotifyNewBlock(cid);
    }

    public ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default) => inner.GetAsync(cid, cancellationToken);

    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => inner.HasAsync(cid, cancellationToken);

    public ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default) => inner.GetSizeAsync(cid, cancellationToken);

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default) => inner.DeleteAsync(cid, cancellationToken);

    public IAsyncEnumerable<Cid> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
}
