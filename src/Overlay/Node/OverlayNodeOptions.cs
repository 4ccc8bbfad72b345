using Overlay.Addressing;
using Overlay.Bitswap;
using Overlay.Names;
using Overlay.PubSub;
using Overlay.Streams;
using Overlay.Streams.Sync;

namespace Overlay.Node;

/// <summary>How <see cref="OverlayNode.StartAsync(Repo.OverlayRepo, OverlayNodeOptions?, Microsoft.Extensions.Logging.ILoggerFactory?, CancellationToken)"/> runs a node; null members take the repo's config or the defaults.</summary>
public sealed record OverlayNodeOptions
{
    /// <summary>Where to listen; null: the config's <c>Addresses.Swarm</c>.</summary>
    public IReadOnlyList<Multiaddr>? ListenAddresses { get; init; }

    /// <summary>Sent in identify; null: <see cref="Host.HostOptions.DefaultAgentVersion"/>.</summary>
    public string? AgentVersion { get; init; }

    public BitswapOptions? Bitswap { get; init; }

    /// <summary>
    /// Null: the config's <c>Pubsub.Router</c>, else gossipsub, which also serves floodsub-only
    /// peers (as js-libp2p nodes do); floodsub speaks only <c>/floodsub/1.0.0</c>.
    /// </summary>
    public PubSubRouterKind? PubSubRouter { get; init; }

    /// <summary>Timings of the stream service; null: <see cref="StreamServiceOptions"/>' defaults.</summary>
    public StreamServiceOptions? Streams { get; init; }

    /// <summary>Record lifetimes and republishing of the name service; null: <see cref="NameServiceOptions"/>' defaults.</summary>
    public NameServiceOptions? Names { get; init; }

    /// <summary>Delay-tolerant sync (specs/sync.md); null: <see cref="SyncOptions"/>' defaults.</summary>
    public SyncOptions? Sync { get; init; }

    /// <summary>How often expired bundles are reaped (specs/sync.md §6).</summary>
    public TimeSpan ReapInterval { get; init; } = TimeSpan.FromSeconds(5);
}
