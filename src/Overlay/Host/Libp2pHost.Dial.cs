using System.Collections.Concurrent;
using Overlay.Addressing;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Transport;

namespace Overlay.Host;

public sealed partial class Libp2pHost
{
    private readonly ConcurrentDictionary<PeerId, Task<PeerConnection>> _pendingDials = new();

    /// <summary>
    /// Connects to <paramref name="address"/>; with a /p2p/ part the remote must prove that
    /// identity, and an existing connection to that peer is reused.
    /// </summary>
    public async Task<PeerConnection> ConnectAsync(Multiaddr address, CancellationToken cancellationToken = default)
    {
        PeerId? expected = address.PeerIdBytes is { } bytes ? PeerId.Decode(bytes.Span) : null;
        if (expected is not null)
        {
            if (expected == PeerId)
            {
                throw new ArgumentException("cannot dial ourselves", nameof(address));
            }
            if (FindConnection(expected) is { } existing)
            {
                return existing;
            }
            Peers.AddAddresses(expected, [address]);
            return await DialDedupedAsync(expected, () => DialAsync(address, expected, cancellationToken)).ConfigureAwait(false);
        }
        return await DialAsync(address, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Connects to a peer by ID through the addresses the peer store knows.</summary>
    public async Task<PeerConnection> ConnectAsync(PeerId peer, CancellationToken cancellationToken = default)
    {
        if (FindConnection(peer) is { } existing)
        {
            return existing;
        }
        var addresses = Peers.Get(peer)?.Addresses.Where(TcpTransport.CanDial).ToArray() ?? [];
        if (addresses.Length == 0)
        {
            throw new PeerUnreachableException(peer, "no known TCP address");
        }
        return await DialDedupedAsync(peer, async () =>
        {
            var errors = new List<string>();
            foreach (var address in addresses)
            {
                try
                {
                    return await DialAsync(address, peer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OverlayException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    errors.Add($"{address}: {e.Message}");
                }
            }
            throw new PeerUnreachableException(peer, string.Join("; ", errors));
        }).ConfigureAwait(false);
    }

    public PeerConnection? FindConnection(PeerId peer) =>
        _connections.Keys.Where(c => c.RemotePeer == peer && !c.Closed.IsCancellationRequested).MinBy(c => c.Opened);

    private async Task<PeerConnection> DialDedupedAsync(PeerId peer, Func<Task<PeerConnection>> dial)
    {
        var task = _pendingDials.GetOrAdd(peer, _ => dial());
        try
        {
            return await task.ConfigureAwait(false);
        }
        finally
        {
            _pendingDials.TryRemove(new KeyValuePair<PeerId, Task<PeerConnection>>(peer, task));
        }
    }

    private async Task<PeerConnection> DialAsync(Multiaddr address, PeerId? expected, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        if (_connections.Count >= _options.Limits.MaxConnections)
        {
            Metrics.Refused("max-connections");
            throw new ConnectionLimitException($"connection limit of {_options.Limits.MaxConnections} reached");
        }
        TcpConnection raw;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(_options.DialTimeout);
            try
            {
                raw = await _tcp.DialAsync(address.WithoutPeer(), timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new PeerUnreachableException(expected, $"dial {address} timed out after {_options.DialTimeout.TotalSeconds:0.#} s");
            }
        }
        PeerConnection connection;
        try
        {
            connection = await _upgrader.UpgradeOutboundAsync(raw, expected, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await raw.DisposeAsync().ConfigureAwait(false);
            var reason = cancellationToken.IsCancellationRequested ? "dial-cancelled" : RefusalReason.Of(e, "handshake-timeout");
            Metrics.Refused(reason);
            HostLog.UpgradeFailed(_logger, address, reason, e.Message, e);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new PeerUnreachableException(expected, $"handshake with {address} timed out");
            }
            throw;
        }
        Register(connection);
        return connection;
    }
}
