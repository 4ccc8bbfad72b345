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
    private readonly SemaphoreSlim _pendingInbound;
    private int _disposed;

    public Libp2pHost(HostOptions options, ILoggerFactory? loggerFactory = null)
    {
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<Libp2pHost>();
        _upgrader = new ConnectionUpgrader(options);
        _tasks = new BackgroundTasks(_logger);
        _pendingInbound = new SemaphoreSlim(options.Limits.MaxPendingInbound);
        PeerId = options.Identity.PeerId;
    }

    public PeerId PeerId { get; }

    public Ed25519PrivateKey Identity => _options.Identity;

    public string AgentVersion => _options.AgentVersion;

    public PeerStore Peers { get; } = new();

    public HostMetrics Metrics { get; } = new();

    /// <summary>The addresses actually bound (real ports when 0 was asked for).</summary>
    public IReadOnlyList<Multiaddr> ListenAddresses => _listeners.Select(l => l.LocalAddress).ToArray();

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

    private async Task CloseConnectionAsync(PeerConnection connection, string reason)
    {
        if (!_connections.TryRemove(connection, out _))
        {
            return;
        }
        await connection.DisposeAsync().ConfigureAwait(false);
        HostLog.Disconnected(_logger, connection.RemotePeer.ToString(), reason);
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
        foreach (var connection in _connections.Keys.ToArray())
        {
            await CloseConnectionAsync(connection, "host stopping").ConfigureAwait(false);
        }
        await _tasks.DisposeAsync().ConfigureAwait(false);
        _pendingInbound.Dispose();
    }
}
