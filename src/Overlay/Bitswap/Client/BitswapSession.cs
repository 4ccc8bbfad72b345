using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap.Client;

/// <summary>
/// Wants that belong together (the blocks of one DAG): peers that had one of them are asked
/// first for the next, directly for the block, so only the first want of a session is broadcast.
/// Holds no resources; drop it when done.
/// </summary>
public sealed class BitswapSession
{
    /// <summary>Peers remembered per session, most recent first.</summary>
    public const int MaxPeers = 32;

    private readonly BitswapClient _client;
    private readonly Lock _sync = new();
    private readonly List<PeerId> _peers = [];

    internal BitswapSession(BitswapClient client) => _client = client;

    /// <summary>Peers that said HAVE or sent a block of this session, most recent first.</summary>
    public IReadOnlyList<PeerId> Peers
    {
        get
        {
            lock (_sync)
            {
                return _peers.ToArray();
            }
        }
    }

    public Task<ReadOnlyMemory<byte>> GetBlockAsync(Cid cid, CancellationToken cancellationToken = default) =>
        _client.GetBlockAsync(cid, this, cancellationToken);

    /// <summary>Makes the block local; its bytes come back only when <paramref name="needData"/>.</summary>
    internal Task<BlockArrival> FetchAsync(Cid cid, bool needData, CancellationToken cancellationToken) =>
        _client.FetchAsync(cid, this, needData, cancellationToken);

    public IAsyncEnumerable<FetchedBlock> GetBlocksAsync(IEnumerable<Cid> cids, CancellationToken cancellationToken = default) =>
        _client.GetBlocksAsync(cids, this, cancellationToken);

    internal void AddPeer(PeerId peer)
    {
        lock (_sync)
        {
            var index = _peers.IndexOf(peer);
            if (index == 0)
            {
                return;
            }
            if (index > 0)
            {
                _peers.RemoveAt(index);
            }
            _peers.Insert(0, peer);
            if (_peers.Count > MaxPeers)
            {
                _peers.RemoveAt(_peers.Count - 1);
            }
        }
    }
}
