using Overlay.Bitswap.Messages;
using Overlay.Manifest.Keys;

namespace Overlay.Bitswap.Network;

/// <summary>
/// The seam between bitswap's client/server logic and libp2p (boxo's network split): who is
/// connected, how messages go out, and how misbehaving peers are punished.
/// </summary>
internal interface IBitswapNetwork : IAsyncDisposable
{
    /// <summary>Connected peers that may speak bitswap (not banned, not known to lack it).</summary>
    IReadOnlyCollection<PeerId> Peers { get; }

    /// <summary>True while <paramref name="peer"/> is connected and not banned.</summary>
    bool IsConnected(PeerId peer);

    /// <summary>Raised when a peer's first connection opens; handlers must be quick.</summary>
    event Action<PeerId>? PeerConnected;

    /// <summary>Raised when a peer's last connection has closed.</summary>
    event Action<PeerId>? PeerDisconnected;

    /// <summary>
    /// Starts accepting messages; each is handed to <paramref name="receiver"/>, awaited before the
    /// next on its stream. A received message's block bytes are valid only until the receiver's
    /// task completes (the buffer is reused): keep a copy to hand them on.
    /// </summary>
    void Start(Func<PeerId, BitswapMessage, CancellationToken, ValueTask> receiver);

    /// <summary>Queues wantlist changes; they are coalesced into the next message and never wait.</summary>
    void EnqueueWants(PeerId peer, IReadOnlyList<BitswapWantlistEntry> entries);

    /// <summary>Queues a message, waiting while the peer's queue is full; dropped if the peer is gone.</summary>
    ValueTask SendAsync(PeerId peer, BitswapMessage message, CancellationToken cancellationToken);

    /// <summary>Records a violation; at <see cref="BitswapOptions.MaxStrikes"/> the peer is disconnected and banned.</summary>
    void Penalise(PeerId peer, string reason);
}
