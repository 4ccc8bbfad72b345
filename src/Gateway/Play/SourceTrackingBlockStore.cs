using Overlay.Bitswap.Client;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Node;

namespace Overlay.Gateway.Play;

/// <summary>
/// One stream's reads for the gateway: the repo first, then bitswap from connected peers in one
/// session (peers that had one block of the stream are asked first for the next), each fetch
/// bounded by the fetch timeout; with no connection a missing block is absent at once. Counts
/// where blocks came from, so the player page can show which peers served the stream. Readers
/// verify every block against its CID (UnixFsReader does, and so do the bundle and page-tree
/// readers); writes go to the repo.
/// </summary>
internal sealed class SourceTrackingBlockStore(OverlayNode node, TimeSpan fetchTimeout) : IBlockStore
{
    private readonly BitswapSession _session = node.Bitswap.Client.CreateSession();
    private long _localBlocks;
    private long _fetchedBlocks;
    private long _fetchedBytes;

    /// <summary>Peers that said HAVE or sent a block of this stream, most recent first.</summary>
    public IReadOnlyList<PeerId> Sources => _session.Peers;

    public long LocalBlocks => Interlocked.Read(ref _localBlocks);

    public long FetchedBlocks => Interlocked.Read(ref _fetchedBlocks);

    public long FetchedBytes => Interlocked.Read(ref _fetchedBytes);

    public async ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        if (await node.LocalBlocks.GetAsync(cid, cancellationToken).ConfigureAwait(false) is { } local)
        {
            Interlocked.Increment(ref _localBlocks);
            return local;
        }
        if (!node.Host.Connections.Any(c => !c.Closed.IsCancellationRequested))
        {
            return null;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(fetchTimeout);
        try
        {
            var block = await _session.GetBlockAsync(cid, timeout.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _fetchedBlocks);
            Interlocked.Add(ref _fetchedBytes, block.Length);
            return block;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        node.LocalBlocks.PutAsync(cid, data, cancellationToken);

    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => node.LocalBlocks.HasAsync(cid, cancellationToken);

    public ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default) => node.LocalBlocks.GetSizeAsync(cid, cancellationToken);

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default) => node.LocalBlocks.DeleteAsync(cid, cancellationToken);

    public IAsyncEnumerable<Cid> ListAsync(CancellationToken cancellationToken = default) => node.LocalBlocks.ListAsync(cancellationToken);
}
