// Spec: https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.0.md#parameters
namespace Overlay.PubSub.Gossip;

/// <summary>Gossipsub router parameters; defaults are the spec's.</summary>
public sealed record GossipSubParameters
{
    public int D { get; init; } = 6;

    public int DLow { get; init; } = 5;

    public int DHigh { get; init; } = 12;

    public int DLazy { get; init; } = 6;

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long fanout state for a topic we publish to without subscribing is kept.</summary>
    public TimeSpan FanoutTtl { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Message cache windows kept (mcache_len) and gossiped (mcache_gossip).</summary>
    public int HistoryLength { get; init; } = 5;

    public int HistoryGossip { get; init; } = 3;

    /// <summary>PRUNE backoff (v1.1: one minute).</summary>
    public TimeSpan PruneBackoff { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Peers offered in a PRUNE's peer exchange (go and js: 16).</summary>
    public int PrunePeers { get; init; } = 16;

    /// <summary>Peers from a received PRUNE we try to connect to.</summary>
    public int MaxPeerExchangeConnects { get; init; } = 8;

    /// <summary>Own messages go to every topic peer above the publish threshold, not just the mesh (v1.1).</summary>
    public bool FloodPublish { get; init; } = true;

    /// <summary>IHAVE messages accepted from one peer per heartbeat (go MaxIHaveMessages).</summary>
    public int MaxIHaveMessages { get; init; } = 10;

    /// <summary>Message IDs we ask one peer for per heartbeat (go MaxIHaveLength).</summary>
    public int MaxIHaveLength { get; init; } = 5000;

    /// <summary>Times we answer one peer's IWANT for the same message before treating it as spam (go GossipRetransmission).</summary>
    public int GossipRetransmission { get; init; } = 3;

    /// <summary>A peer that answered our IWANT with nothing within this time broke its IHAVE promise (P7; go: 3 s).</summary>
    public TimeSpan IWantFollowupTime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// v1.2: messages with at least this much data get an IDONTWANT to the mesh on first receipt.
    /// Smaller ones would cost more in control traffic than the duplicates they save (js: 512).
    /// </summary>
    public int IDontWantMinDataSize { get; init; } = 512;

    /// <summary>v1.2 <c>max_idontwant_messages</c>: message IDs one peer may make us remember per heartbeat (js: 512).</summary>
    public int MaxIDontWantMessages { get; init; } = 512;

    /// <summary>Heartbeats an IDONTWANT is remembered; copies arrive within milliseconds, so a few seconds is plenty.</summary>
    public int IDontWantHistory { get; init; } = 3;
}
