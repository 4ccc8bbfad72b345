using Overlay.Transport;

namespace Overlay.Host;

public sealed partial class Libp2pHost
{
    private async Task AcceptLoopAsync(TcpListenerHandle listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var raw = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            if (raw is null)
            {
                return;
            }
            // Refuse at once rather than queue: a flood of half-open handshakes must not pile up.
            if (_connections.Count >= _options.Limits.MaxConnections || !_pendingInbound.Wait(0))
            {
                Metrics.Refused(_connections.Count >= _options.Limits.MaxConnections ? "max-connections" : "max-pending-inbound");
                HostLog.ConnectionRefused(_logger, raw.RemoteAddress, "limit reached");
                await raw.DisposeAsync().ConfigureAwait(false);
                continue;
            }
            _tasks.Run($"inbound {raw.RemoteAddress}", token => AcceptOneAsync(raw, token));
        }
    }

    private async Task AcceptOneAsync(TcpConnection raw, CancellationToken stopping)
    {
        PeerConnection connection;
        try
        {
            connection = await _upgrader.UpgradeInboundAsync(raw, stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            Metrics.Refused(e is OperationCanceledException ? "handshake-timeout" : "upgrade-failed");
            HostLog.UpgradeFailed(_logger, raw.RemoteAddress, e is OperationCanceledException ? "timeout" : e.GetType().Name, e.Message);
            await raw.DisposeAsync().ConfigureAwait(false);
            return;
        }
        finally
        {
            _pendingInbound.Release();
        }
        var samePeer = _connections.Keys.Count(c => c.RemotePeer == connection.RemotePeer);
        if (samePeer >= _options.Limits.MaxConnectionsPerPeer)
        {
            Metrics.Refused("max-connections-per-peer");
            HostLog.ConnectionRefused(_logger, raw.RemoteAddress, $"already {samePeer} connections to {connection.RemotePeer}");
            await connection.DisposeAsync().ConfigureAwait(false);
            return;
        }
        Register(connection);
    }
}
