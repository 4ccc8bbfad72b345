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

    /// <summary>When the process is out of sockets, how long to wait before accepting again (connections wait in the kernel's backlog meanwhile).</summary>
    private static readonly TimeSpan ResourceBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The next inbound connection, or null once the listener is closed. A peer that is gone
    /// before we get to it, or a moment without file descriptors, is skipped rather than thrown:
    /// one hostile connection must not end the accept loop of the whole host.
    /// </summary>
    public async Task<TcpConnection?> AcceptAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                continue;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                await Task.Delay(ResourceBackoff, cancellationToken).ConfigureAwait(false);
                continue;
            }
            try
            {
                return new TcpConnection(socket);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Reset by the peer between the kernel's accept and ours (its endpoints are gone).
                socket.Dispose();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
