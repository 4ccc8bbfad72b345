using Microsoft.Extensions.Logging;
using Overlay.Addressing;
using Overlay.Host;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Protocols.Identify;
using Overlay.Protocols.Ping;
using Overlay.Repo;

namespace Overlay.Node;

/// <summary>
/// One running node made from a repo: its identity, a libp2p host listening where the config
/// (or the caller) says, and the services every node speaks (identify, ping). Disposing stops
/// the host and awaits all of its background work.
/// </summary>
public sealed class OverlayNode : IAsyncDisposable
{
    private OverlayNode(OverlayRepo repo, Libp2pHost host)
    {
        Repo = repo;
        Host = host;
        Identify = new IdentifyService(host);
        Ping = new PingService(host);
    }

    public OverlayRepo Repo { get; }

    public Libp2pHost Host { get; }

    public IdentifyService Identify { get; }

    public PingService Ping { get; }

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
    /// Starts a node for <paramref name="repo"/>, listening on <paramref name="listenAddresses"/>
    /// or, when null, on the config's <c>Addresses.Swarm</c>.
    /// </summary>
    /// <exception cref="VerificationException">The identity key does not match the config's peer ID.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">An address cannot be bound.</exception>
    public static async Task<OverlayNode> StartAsync(
        OverlayRepo repo,
        IReadOnlyList<Multiaddr>? listenAddresses = null,
        string? agentVersion = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repo);
        var identity = Ed25519PrivateKey.FromProtobuf(repo.ReadIdentityKey());
        if (identity.PeerId.ToString() != repo.Config.Identity.PeerId)
        {
            throw new VerificationException($"the identity key in {repo.RootPath} is for {identity.PeerId}, but {OverlayRepo.ConfigFileName} says {repo.Config.Identity.PeerId}");
        }
        var host = new Libp2pHost(new HostOptions
        {
            Identity = identity,
            ListenAddresses = listenAddresses ?? repo.Config.Addresses.Swarm.Select(Multiaddr.Parse).ToArray(),
            AgentVersion = agentVersion ?? HostOptions.DefaultAgentVersion,
        }, loggerFactory);
        var node = new OverlayNode(repo, host);
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return node;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
