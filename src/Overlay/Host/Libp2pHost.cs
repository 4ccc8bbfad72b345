using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Overlay.Addressing;
using Overlay.Manifest.Keys;
using Overlay.Transport;

namespace Overlay.Host;

/// <summary>
/// A libp2p host: listens and dials over TCP, upgrades connections (Noise + yamux), and routes
/// streams to protocol handlers. Small on purpose (no fat Host): services such as identify and
/// ping register handlers like any other protocol.
/// </summary>
public sealed partial class Libp2pHost : IAsyncDisposable
{
    private readonly HostOptions _options;
    private readonly ILogger _logger;
    private readonly TcpTransport _tcp = new();
    private readonly ConnectionUpgrader _upgrader;
    private readonly BackgroundTasks _tasks;
    private readonly List<TcpListenerHandle> _listeners = [];
    private readonly ConcurrentDictionary<PeerConnection, byte> _connections = new();
    private readonly PendingHandshakes _pendingHandshakes;
    private int _disposed;

    public Libp2pHost(HostOptions options, ILoggerFactory? loggerFactory = null)
    {
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<Libp2pHost>();
        _upgrader = new ConnectionUpgrader(options);
        _tasks = new BackgroundTasks(_logger);
        _pendingHandshakes = new PendingHandshakes(options.Limits.MaxPendingInbound);
        PeerId = options.Identity.PeerId;
    }

    public PeerId PeerId { get; }

    public Ed25519PrivateKey Identity => _options.Identity;

    public string AgentVersion => _options.AgentVersion;

    public PeerStore Peers { get; } = new();

    public HostMetrics Metrics { get; } = new();

    /// <summary>The addresses actually bound (real ports when 0 was asked for).</summary>
    public IReadOnlyList<Multiaddr> ListenAddresses => _listeners.Select(l => l.LocalAddress).ToArray();

    /// <summary>What we tell peers: the listen addresses with 0.0.0.0 / :: replaced by this machine's interface addresses.</summary>
    public IReadOnlyList<Multiaddr> AnnouncedAddresses => ListenAddresses.SelectMany(InterfaceAddresses.Expand).Distinct().ToArray();

    public IReadOnlyCollection<PeerConnection> Connections => _connections.Keys.ToArray();

    /// <summary>Raised after a connection is upgraded and registered.</summary>
    public event Action<PeerConnection>? Connected;

    /// <summary>Raised once a registered connection has closed.</summary>
    public event Action<PeerConnection>? Disconnected;

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        foreach (var address in _options.ListenAddresses)
        {
            var listener = _tcp.Listen(address);
            _listeners.Add(listener);
            HostLog.Listening(_logger, listener.LocalAddress);
            _tasks.Run($"accept {listener.LocalAddress}", stopping => AcceptLoopAsync(listener, stopping));
        }
        return Task.CompletedTask;
    }

    public bool IsConnected(PeerId peer) => _connections.Keys.Any(c => c.RemotePeer == peer);

    private void Register(PeerConnection connection)
    {
        _connections.TryAdd(connection, 0);
        Metrics.ConnectionOpened();
        Peers.Update(connection.RemotePeer, info => info with { PublicKey = connection.RemotePublicKey });
        if (!connection.IsInbound)
        {
            Peers.AddAddresses(connection.RemotePeer, [connection.RemoteAddress]);
        }
        HostLog.Connected(_logger, connection.RemotePeer.ToString(), connection.RemoteAddress, connection.IsInbound ? "inbound" : "outbound");
        _tasks.Run($"streams of {connection.RemotePeer}", stopping => ServeConnectionAsync(connection, stopping));
        Connected?.Invoke(connection);
    }

    /// <param name="cause">Why the muxer ended; null when we close it (the host is stopping).</param>
    private async Task CloseConnectionAsync(PeerConnection connection, Exception? cause)
    {
        if (!_connections.TryRemove(connection, out _))
        {
            return;
        }
        await connection.DisposeAsync().ConfigureAwait(false);
        var reason = cause is null ? "local" : RefusalReason.Of(cause, "timeout");
        Metrics.Disconnected(reason);
        var level = RefusalReason.IsMisbehaviour(cause) ? LogLevel.Warning : LogLevel.Debug;
        HostLog.Disconnected(_logger, level, connection.RemotePeer.ToString(), reason, cause?.Message ?? "host stopping", cause);
        Disconnected?.Invoke(connection);
    }

    /// <summary>Runs work owned by the host (awaited on dispose, failures logged).</summary>
    internal void RunBackground(string name, Func<CancellationToken, Task> work) => _tasks.Run(name, work);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        foreach (var listener in _listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
        // All at once: each close may wait (bounded) for a peer that does not read its go-away.
        await Task.WhenAll(_connections.Keys.ToArray().Select(c => CloseConnectionAsync(c, null))).ConfigureAwait(false);
        await _tasks.DisposeAsync().ConfigureAwait(false);
    }
}
