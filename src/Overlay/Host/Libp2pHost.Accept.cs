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
            // Refuse at once rather than queue: a flood of connections must not pile up.
            if (_connections.Count >= _options.Limits.MaxConnections)
            {
                Metrics.Refused("max-connections");
                HostLog.ConnectionRefused(_logger, raw.RemoteAddress, $"connection limit of {_options.Limits.MaxConnections} reached");
                // Abort first: the accept loop must not linger on a refused peer.
                raw.Abort(new ConnectionLimitException("refused at accept: connection limit reached"));
                await raw.DisposeAsync().ConfigureAwait(false);
                continue;
            }
            // Past MaxPendingInbound the oldest handshake is cut to make room (see PendingHandshakes).
            var slot = _pendingHandshakes.Enter();
            _tasks.Run($"inbound {raw.RemoteAddress}", token => AcceptOneAsync(raw, slot, token));
        }
    }

    private async Task AcceptOneAsync(TcpConnection raw, PendingHandshakes.Slot slot, CancellationToken stopping)
    {
        PeerConnection connection;
        try
        {
            using var upgrade = CancellationTokenSource.CreateLinkedTokenSource(stopping, slot.Evicted);
            connection = await _upgrader.UpgradeInboundAsync(raw, upgrade.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            var reason = slot.WasEvicted ? "pending-inbound-evicted" : RefusalReason.Of(e, "handshake-timeout");
            Metrics.Refused(reason);
            HostLog.UpgradeFailed(_logger, raw.RemoteAddress, reason, e.Message, e);
            await raw.DisposeAsync().ConfigureAwait(false);
            return;
        }
        finally
        {
            slot.Dispose();
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
