using System.Net;
using System.Net.Sockets;
using Overlay.Addressing;

namespace Overlay.Transport;

/// <summary>A bound TCP listening socket; <see cref="AcceptAsync"/> yields connections until disposed.</summary>
public sealed class TcpListenerHandle : IAsyncDisposable
{
    private readonly Socket _socket;

    internal TcpListenerHandle(Socket socket)
    {
        _socket = socket;
        LocalAddress = Multiaddr.ForTcp((IPEndPoint)socket.LocalEndPoint!);
    }

    /// <summary>The bound address, with the real port when port 0 was asked for.</summary>
    public Multiaddr LocalAddress { get; }

    /// <summary>The next inbound connection, or null once the listener is closed.</summary>
    public async Task<TcpConnection?> AcceptAsync(CancellationToken cancellationToken)
    {
        try
        {
            var socket = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            return new TcpConnection(socket);
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted })
        {
            return null;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
