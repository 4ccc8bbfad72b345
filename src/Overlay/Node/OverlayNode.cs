using Microsoft.Extensions.Logging;
using Overlay.Addressing;
using Overlay.Bitswap;
using Overlay.Host;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Names;
using Overlay.Protocols.Identify;
using Overlay.Protocols.Ping;
using Overlay.PubSub;
using Overlay.Repo;
using Overlay.Streams;
using Overlay.Streams.Retention;
using Overlay.Streams.Sync;

namespace Overlay.Node;

/// <summary>
/// One running node made from a repo: its identity, a libp2p host listening where the config
/// (or the caller) says, and the services every node speaks: identify, ping, bitswap over the
/// repo's block store, and pubsub (gossipsub, which also serves floodsub peers). All services are
/// set up before the host listens, so identify announces them to the first peer already.
/// Disposing stops bitswap, then the host (which ends pubsub's streams and heartbeat), awaiting
/// all background work.
/// </summary>
public sealed class OverlayNode : IAsyncDisposable
{
    private int _disposed;

    private OverlayNode(OverlayRepo repo, Libp2pHost host, OverlayNodeOptions options, ILoggerFactory? loggerFactory)
    {
        Repo = repo;
        Host = host;
        Identify = new IdentifyService(host);
        Ping = new PingService(host);
        Bitswap = new BitswapService(host, repo.Blocks, options.Bitswap, loggerFactory);
        PubSub = new PubSubService(host, new PubSubOptions { Router = options.PubSubRouter ?? PubSubRouterKind.Gossipsub });
        // pin add through this node fetches what the repo lacks from peers.
        repo.Pins.FetchSource = CreateNetworkBlocks();
        Streams = new StreamService(PubSub, LocalBlocks, () => CreateNetworkBlocks(StreamFetchTimeout), repo.Pins,
            Path.Combine(repo.RootPath, StreamStateStore.FolderName), options.Streams, loggerFactory?.CreateLogger<StreamService>());
        Names = new NameService(PubSub, Path.Combine(repo.RootPath, NameRecordStore.FolderName), options.Names, loggerFactory?.CreateLogger<NameService>());
        // Followed and carried streams are kept by class rank rather than pins (specs/repo.md §6).
        repo.Pins.Tiers = new StreamRetention(Streams);
        Sync = new SyncService(host, Streams, options.Sync, loggerFactory?.CreateLogger<SyncService>(), repo.Blocks);
        Reaper = new ExpiryReaper(Streams, repo.Pins, options.ReapInterval, loggerFactory?.CreateLogger<ExpiryReaper>());
    }

    /// <summary>How long a stream's fetch waits for a block no connected peer has yet, before trying again later.</summary>
    private static readonly TimeSpan StreamFetchTimeout = TimeSpan.FromSeconds(10);

    public OverlayRepo Repo { get; }

    public Libp2pHost Host { get; }

    public IdentifyService Identify { get; }

    public PingService Ping { get; }

    /// <summary>Bitswap serving <see cref="OverlayRepo.Blocks"/> and fetching into it.</summary>
    public BitswapService Bitswap { get; }

    public PubSubService PubSub { get; }

    /// <summary>Streams this node publishes and follows (specs/stream-protocol.md).</summary>
    public StreamService Streams { get; }

    /// <summary>IPNS names over pubsub; our streams' heads are published under their keys.</summary>
    public NameService Names { get; }

    /// <summary>Delay-tolerant sync with every connected peer (specs/sync.md).</summary>
    public SyncService Sync { get; }

    /// <summary>Drops held bundles whose lifetime is over (specs/sync.md §6).</summary>
    public ExpiryReaper Reaper { get; }

    /// <summary>
    /// The repo's blocks as writers should see them: a put lands in the repo and is offered to
    /// peers that asked bitswap for it.
    /// </summary>
    public IBlockStore LocalBlocks => Bitswap.LocalStore;

    public PeerId PeerId => Host.PeerId;

    /// <summary>Round-trip times measured by our pings, per peer.</summary>
    public PeerLatencies Latencies { get; } = new();

    /// <summary>
    /// The addresses others can dial us at, each ending in /p2p/&lt;our id&gt;: the bound
    /// listen addresses, with an unspecified one (0.0.0.0, ::) replaced by this machine's
    /// interface addresses of that family, as kubo shows them.
    /// </summary>
    public IReadOnlyList<Multiaddr> Addresses =>
        Host.AnnouncedAddresses.Select(a => a.WithPeer(PeerId.Bytes)).ToArray();

    /// <summary>
    /// A reader's view of blocks by CID: the repo first, then bitswap from connected peers
    /// (verified and kept in the repo); with no connection at all, a missing block is absent at
    /// once (there is no one to ask). Each call is its own bitswap session, so one transfer's
    /// peers are asked first for its next blocks without steering unrelated reads.
    /// </summary>
    public IBlockStore CreateNetworkBlocks(TimeSpan? fetchTimeout = null) =>
        new ConnectedBlockStore(Host, Bitswap, new NetworkBlockStore(Bitswap, fetchTimeout));

    /// <summary>
    /// Starts a node for <paramref name="repo"/>, listening on <paramref name="listenAddresses"/>
    /// or, when null, on the config's <c>Addresses.Swarm</c>.
    /// </summary>
    /// <exception cref="VerificationException">The identity key does not match the config's peer ID.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">An address cannot be bound.</exception>
    public static Task<OverlayNode> StartAsync(
        OverlayRepo repo,
        IReadOnlyList<Multiaddr>? listenAddresses = null,
        string? agentVersion = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default) =>
        StartAsync(repo, new OverlayNodeOptions { ListenAddresses = listenAddresses, AgentVersion = agentVersion }, loggerFactory, cancellationToken);

    /// <inheritdoc cref="StartAsync(OverlayRepo, IReadOnlyList{Multiaddr}?, string?, ILoggerFactory?, CancellationToken)"/>
    public static async Task<OverlayNode> StartAsync(
        OverlayRepo repo,
        OverlayNodeOptions? options,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repo);
        options ??= new OverlayNodeOptions();
        var identity = Ed25519PrivateKey.FromProtobuf(repo.ReadIdentityKey());
        if (identity.PeerId.ToString() != repo.Config.Identity.PeerId)
        {
            throw new VerificationException($"the identity key in {repo.RootPath} is for {identity.PeerId}, but {OverlayRepo.ConfigFileName} says {repo.Config.Identity.PeerId}");
        }
        // Checked before anything starts, so a bad config is the one error and nothing is left running.
        options = options with { PubSubRouter = options.PubSubRouter ?? RouterOf(repo.Config) };
        repo.Blocks.EnsureCreated();
        var host = new Libp2pHost(new HostOptions
        {
            Identity = identity,
            ListenAddresses = options.ListenAddresses ?? repo.Config.Addresses.Swarm.Select(Multiaddr.Parse).ToArray(),
            AgentVersion = options.AgentVersion ?? HostOptions.DefaultAgentVersion,
        }, loggerFactory);
        OverlayNode node;
        try
        {
            node = new OverlayNode(repo, host, options, loggerFactory);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            node.Streams.Resume();
            node.Names.Start(node.Streams, KeyLookup(repo));
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return node;
    }

    /// <summary>The keystore's private key for a name, or null when this repo does not hold it.</summary>
    private static Func<PeerId, Ed25519PrivateKey?> KeyLookup(OverlayRepo repo) => name =>
    {
        var keystore = new Keystore(repo);
        return keystore.List().FirstOrDefault(k => k.Id == name) is { } entry ? keystore.Get(entry.Name) : null;
    };

    /// <summary>The config's <c>Pubsub.Router</c>; gossipsub when the config has none (written before the key existed).</summary>
    /// <exception cref="MalformedDataException">It names a router we do not have.</exception>
    public static PubSubRouterKind RouterOf(RepoConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Pubsub?.Router switch
        {
            null or PubsubConfig.Gossipsub => PubSubRouterKind.Gossipsub,
            PubsubConfig.Floodsub => PubSubRouterKind.Floodsub,
            var other => throw new MalformedDataException("repo config", $"Pubsub.Router \"{other}\" is not a router this node has: use \"{PubsubConfig.Gossipsub}\" or \"{PubsubConfig.Floodsub}\""),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        // Pins stop fetching first; then bitswap (its own loops and senders), then the host,
        // which ends pubsub's streams and heartbeat with the rest of its background work.
        Repo.Pins.FetchSource = null;
        await Names.DisposeAsync().ConfigureAwait(false);
        await Sync.DisposeAsync().ConfigureAwait(false);
        await Reaper.DisposeAsync().ConfigureAwait(false);
        Repo.Pins.Tiers = StreamRetention.ForRepo(Path.Combine(Repo.RootPath, StreamStateStore.FolderName), Repo.Blocks);
        await Streams.DisposeAsync().ConfigureAwait(false);
        await Bitswap.DisposeAsync().ConfigureAwait(false);
        await Host.DisposeAsync().ConfigureAwait(false);
    }
}
