using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Overlay.Tests.Support;

/// <summary>
/// A connected TCP socket as an <see cref="IDuplexPipe"/>, for tests only (the node's TCP
/// transport is its own code): one loop moves socket bytes into <see cref="Input"/>, one moves
/// <see cref="Output"/> to the socket. Completing Output shuts the socket's send side down
/// (the remote reads end of stream). Dispose waits for both loops.
/// </summary>
public sealed class SocketDuplexPipe : IDuplexPipe, IAsyncDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly Pipe _received = new(DuplexPipePair.DefaultOptions);
    private readonly Pipe _toSend = new(DuplexPipePair.DefaultOptions);
    private readonly Task _receiveLoop;
    private readonly Task _sendLoop;

    private SocketDuplexPipe(Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        _sendLoop = Task.Run(SendLoopAsync);
    }

    public PipeReader Input => _received.Reader;

    public PipeWriter Output => _toSend.Writer;

    /// <summary>Two sockets connected over 127.0.0.1.</summary>
    public static async Task<TransportPair> CreateLoopbackPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);

        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await accepting;

        var clientPipe = new SocketDuplexPipe(client);
        var serverPipe = new SocketDuplexPipe(server);
        return new TransportPair(clientPipe, serverPipe, new Both(clientPipe, serverPipe));
    }

    /// <summary>A socket connected to <paramref name="endPoint"/> (another process, e.g. a js-libp2p peer).</summary>
    public static async Task<SocketDuplexPipe> ConnectAsync(EndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endPoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new SocketDuplexPipe(socket);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Whoever owns Output (the muxer) completes it; give the loop time to send what is left.
            await _sendLoop.WaitAsync(DrainTimeout);
        }
        catch (TimeoutException)
        {
            _toSend.Reader.CancelPendingRead();
        }

        _socket.Dispose();
        await Task.WhenAll(_receiveLoop, _sendLoop);
    }

    private async Task ReceiveLoopAsync()
    {
        var writer = _received.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(ReceiveBufferSize);
                var count = await _socket.ReceiveAsync(memory, SocketFlags.None);
                if (count == 0)
                {
                    break;
                }

                writer.Advance(count);
                var flushed = await writer.FlushAsync();
                if (flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            error = new IOException("socket receive failed", e);
        }
        finally
        {
            await writer.CompleteAsync(error);
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _toSend.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                if (result.IsCanceled)
                {
                    break;
                }

                foreach (var segment in result.Buffer)
                {
                    await _socket.SendAsync(segment, SocketFlags.None);
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    _socket.Shutdown(SocketShutdown.Send);
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            error = new IOException("socket send failed", e);
        }
        finally
        {
            await reader.CompleteAsync(error);
        }
    }

    private sealed class Both(SocketDuplexPipe a, SocketDuplexPipe b) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Task.WhenAll(a.DisposeAsync().AsTask(), b.DisposeAsync().AsTask());
        }
    }
}
