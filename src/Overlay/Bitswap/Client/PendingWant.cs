using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap.Client;

/// <summary>One block the client is looking for, shared by everyone waiting for it (mutated under the client's lock).</summary>
internal sealed class PendingWant(Cid cid, BitswapSession? session)
{
    public Cid Cid { get; } = cid;

    public BitswapSession? Session { get; } = session;

    public TaskCompletionSource<BlockArrival> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Waiters { get; set; }

    /// <summary>Waiters that want the bytes, not just the block stored (the received bytes are copied for them).</summary>
    public int DataWaiters { get; set; }

    /// <summary>A verified copy is being stored; later copies are duplicates.</summary>
    public bool Completing { get; set; }

    public Dictionary<PeerId, PeerWantState> Peers { get; } = [];

    /// <summary>The peer asked to send the block, if any.</summary>
    public PeerId? Target { get; set; }

    public long TargetSince { get; set; }

    public long LastBroadcast { get; set; }

    public PeerWantState StateOf(PeerId peer) => Peers.TryGetValue(peer, out var state) ? state : PeerWantState.None;

    public void Mark(PeerId peer, PeerWantState flags) => Peers[peer] = StateOf(peer) | flags;

    /// <summary>Peers asked anything about this block (they hold it in their ledger until we cancel).</summary>
    public IEnumerable<PeerId> AskedPeers =>
        Peers.Where(p => (p.Value & (PeerWantState.AskedHave | PeerWantState.AskedBlock)) != 0).Select(p => p.Key);
}
