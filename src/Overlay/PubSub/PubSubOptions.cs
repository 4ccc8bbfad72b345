using Overlay.PubSub.Gossip;
using Overlay.PubSub.Rpc;
using Overlay.PubSub.Scoring;

namespace Overlay.PubSub;

public sealed record PubSubOptions
{
    public PubSubRouterKind Router { get; init; } = PubSubRouterKind.Gossipsub;

    public RpcLimits Limits { get; init; } = RpcLimits.Default;

    /// <summary>How long a message ID is remembered to suppress duplicates (js and go: 2 minutes).</summary>
    public TimeSpan SeenTtl { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Message IDs remembered at most; the oldest are forgotten first when a flood exceeds it.</summary>
    public int SeenCapacity { get; init; } = 200_000;

    /// <summary>RPCs queued per peer; past it new RPCs to that peer are dropped (a slow peer cannot grow memory).</summary>
    public int SendQueueLength { get; init; } = 1024;

    /// <summary>Messages buffered per subscription; the oldest are dropped when a reader falls behind.</summary>
    public int SubscriptionBufferLength { get; init; } = 1024;

    /// <summary>Topics one peer may be subscribed to in our view.</summary>
    public int MaxTopicsPerPeer { get; init; } = 1024;

    public GossipSubParameters GossipSub { get; init; } = new();

    public PeerScoreParameters Score { get; init; } = new();

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
