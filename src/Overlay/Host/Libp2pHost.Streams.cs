using System.Collections.Concurrent;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Muxing;
using Overlay.Negotiation;

namespace Overlay.Host;

public sealed partial class Libp2pHost
{
    private readonly ConcurrentDictionary<string, StreamHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary>The protocols we serve, as identify announces them.</summary>
    public IReadOnlyCollection<string> Protocols => _handlers.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Raised when the set of served protocols changes (identify push listens).</summary>
    public event Action? ProtocolsChanged;

    public void SetStreamHandler(string protocol, StreamHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(protocol);
        if (protocol.Length > MultistreamSelect.MaxProtocolLength)
        {
            throw new ArgumentException("protocol id too long", nameof(protocol));
        }
        _handlers[protocol] = handler;
        ProtocolsChanged?.Invoke();
    }

    public void RemoveStreamHandler(string protocol)
    {
        if (_handlers.TryRemove(protocol, out _))
        {
            ProtocolsChanged?.Invoke();
        }
    }

    /// <summary>Opens a stream to <paramref name="peer"/> (connecting first if needed) speaking one of <paramref name="protocols"/>.</summary>
    public async Task<PeerStream> NewStreamAsync(PeerId peer, IReadOnlyList<string> protocols, CancellationToken cancellationToken = default)
    {
        var connection = await ConnectAsync(peer, cancellationToken).ConfigureAwait(false);
        var stream = await connection.OpenStreamAsync(protocols, cancellationToken).ConfigureAwait(false);
        Metrics.StreamOpened();
        return stream;
    }

    private async Task ServeConnectionAsync(PeerConnection connection, CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var stream = await connection.Muxer.AcceptStreamAsync(stopping).ConfigureAwait(false);
                if (stream is null)
                {
                    break;
                }
                if (connection.EnterInboundStream() > _options.Limits.MaxInboundStreamsPerConnection)
                {
                    connection.LeaveInboundStream();
                    Metrics.Refused("max-inbound-streams");
                    stream.Reset();
                    await stream.DisposeAsync().ConfigureAwait(false);
                    continue;
                }
                _tasks.Run($"stream {stream.Id} of {connection.RemotePeer}", token => ServeStreamAsync(connection, stream, token));
            }
        }
        catch (OverlayException)
        {
            // The muxer ended with a reason; CloseConnectionAsync below logs the disconnect.
        }
        await CloseConnectionAsync(connection, connection.Muxer.CloseReason).ConfigureAwait(false);
    }

    private async Task ServeStreamAsync(PeerConnection connection, IMuxedStream stream, CancellationToken stopping)
    {
        string? protocol = null;
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                timeout.CancelAfter(_options.StreamNegotiationTimeout);
                protocol = await MultistreamSelect.HandleAsync(new PeerConnection.StreamPipe(stream), _handlers.Keys.ToArray(), timeout.Token).ConfigureAwait(false);
            }
            if (!_handlers.TryGetValue(protocol, out var handler))
            {
                stream.Reset();
                return;
            }
            // Not disposed here: a handler that throws must end in RST (below), and the finally
            // block disposes the stream once either way.
            await handler(new PeerStream(stream, protocol, connection), stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OverlayException or OperationCanceledException or IOException or InvalidOperationException)
        {
            stream.Reset();
            if (stopping.IsCancellationRequested)
            {
                // The host is stopping: not the peer's doing, nothing to count.
            }
            else if (protocol is null)
            {
                var reason = RefusalReason.OfStream(e);
                Metrics.Refused(reason);
                HostLog.StreamRefused(_logger, connection.RemotePeer.ToString(), reason, e.Message, e);
            }
            else
            {
                HostLog.HandlerFailed(_logger, protocol, connection.RemotePeer.ToString(), e.Message, e);
            }
        }
        finally
        {
            connection.LeaveInboundStream();
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
