using Overlay.Manifest.Keys;
using Overlay.PubSub.Scoring;

namespace Overlay.PubSub;

/// <summary>State shared by the service and its router, guarded by <see cref="Gate"/>.</summary>
internal sealed class PubSubState(PubSubOptions options, PeerId self)
{
    public object Gate { get; } = new();

    public PubSubOptions Options { get; } = options;

    public PeerId Self { get; } = self;

    public Dictionary<PeerId, PubSubPeer> Peers { get; } = [];

    /// <summary>Topics we are subscribed to.</summary>
    public HashSet<string> Topics { get; } = new(StringComparer.Ordinal);

    public PeerScore Score { get; } = new(options.Score, options.Time);

    public SeenCache Seen { get; } = new(options.SeenTtl, options.SeenCapacity, options.Time);

    public PubSubMetrics Metrics { get; } = new();

    public Random Random { get; } = new();

    /// <summary>Asks the host to connect to a peer learned from peer exchange (set by the service).</summary>
    public Action<PeerId>? Connect { get; set; }

    public IEnumerable<PubSubPeer> PeersIn(string topic) => Peers.Values.Where(p => p.Topics.Contains(topic));
}
