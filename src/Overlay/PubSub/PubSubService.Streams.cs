using Overlay.Host;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Protocols;
using Overlay.PubSub.Rpc;

namespace Overlay.PubSub;

public sealed partial class PubSubService
{
    private readonly HashSet<PeerId> _opening = [];

    private void OnConnected(PeerConnection connection) => StartOutbound(connection);

    private void OnDisconnected(PeerConnection connection)
    {
        if (_host.IsConnected(connection.RemotePeer))
        {
            return;
        }
        lock (_state.Gate)
        {
            if (_state.Peers.TryGetValue(connection.RemotePeer, out var peer))
            {
                RemovePeer(peer);
            }
        }
    }

    /// <summary>Opens our sending stream to a peer once; each side sends only on the stream it opened.</summary>
    private void StartOutbound(PeerConnection connection)
    {
        lock (_state.Gate)
        {
            if (_opening.Contains(connection.RemotePeer) || (_state.Peers.TryGetValue(connection.RemotePeer, out var known) && known.HasWriter))
            {
                return;
            }
            _opening.Add(connection.RemotePeer);
        }
        _host.RunBackground($"pubsub to {connection.RemotePeer}", stopping => RunOutboundAsync(connection, stopping));
    }

    private async Task RunOutboundAsync(PeerConnection connection, CancellationToken stopping)
    {
        PeerStream stream;
        try
        {
            stream = await connection.OpenStreamAsync(_router.Protocols, stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OverlayException or IOException or OperationCanceledException or InvalidOperationException)
        {
            // The peer does not speak pubsub (or went away): nothing to track.
            lock (_state.Gate)
            {
                _opening.Remove(connection.RemotePeer);
            }
            return;
        }
        PubSubPeer peer;
        lock (_state.Gate)
        {
            _opening.Remove(connection.RemotePeer);
            peer = GetOrAddPeer(connection.RemotePeer, stream.Protocol);
            peer.HasWriter = true;
            if (_state.Topics.Count > 0)
            {
                // Announce our subscriptions (a peer first met on its inbound stream has heard none yet).
                peer.Send(new PubSubRpc { Subscriptions = _state.Topics.Select(t => new SubscriptionChange(true, t)).ToArray() });
            }
        }
        await using (stream.ConfigureAwait(false))
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, connection.Closed);
            try
            {
                await WriteLoopAsync(peer, stream, _state.Metrics, linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OverlayException or IOException or OperationCanceledException or InvalidOperationException)
            {
                // Stream reset, connection closed or host stopping: the peer is dropped below.
            }
        }
        lock (_state.Gate)
        {
            RemovePeer(peer);
        }
        if (!stopping.IsCancellationRequested && !connection.Closed.IsCancellationRequested && _host.IsConnected(peer.Id))
        {
            StartOutbound(connection);
        }
    }

    private static async Task WriteLoopAsync(PubSubPeer peer, PeerStream stream, PubSubMetrics metrics, CancellationToken cancellationToken)
    {
        while (await peer.Outbox.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (peer.TryTakeNext(out var rpc))
            {
                LengthPrefixedMessage.Write(stream.Output, rpc);
                metrics.RpcSent(rpc.Length);
            }
            var flushed = await stream.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                return;
            }
        }
    }

    private async Task ServeInboundAsync(PeerStream stream, CancellationToken stopping)
    {
        StartOutbound(stream.Connection);
        var remote = stream.RemotePeer;
        while (true)
        {
            byte[]? bytes;
            PubSubRpc rpc;
            try
            {
                bytes = await LengthPrefixedMessage.ReadAsync(stream.Input, _state.Options.Limits.MaxRpcSize, PubSubRpcCodec.FormatName, stopping).ConfigureAwait(false);
                if (bytes is null)
                {
                    return;
                }
                _state.Metrics.RpcReceived(bytes.Length);
                rpc = PubSubRpcCodec.Decode(bytes, _state.Options.Limits);
            }
            catch (MalformedDataException)
            {
                // A malformed or oversized RPC counts as an invalid message; the host resets the stream.
                _state.Metrics.MalformedRpc();
                lock (_state.Gate)
                {
                    _state.Score.InvalidMessage(remote, null);
                }
                throw;
            }
            HandleRpc(remote, stream.Protocol, rpc);
        }
    }

    private PubSubPeer GetOrAddPeer(PeerId id, string protocol)
    {
        if (_state.Peers.TryGetValue(id, out var peer))
        {
            return peer;
        }
        peer = new PubSubPeer(id, protocol, _state.Options.SendQueueLength);
        _state.Peers[id] = peer;
        _state.Score.Connected(id);
        _router.AddPeer(peer);
        return peer;
    }

    private void RemovePeer(PubSubPeer peer)
    {
        if (!_state.Peers.TryGetValue(peer.Id, out var current) || current != peer)
        {
            return;
        }
        _state.Peers.Remove(peer.Id);
        _router.RemovePeer(peer);
        _state.Score.Disconnected(peer.Id);
        peer.Close();
    }
}
