using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Overlay.Addressing;

namespace Overlay.Transport;

/// <summary>
/// A TCP socket as a pair of pipes: one receive loop filling <see cref="Input"/> and one send loop
/// draining <see cref="Output"/> (Kestrel's SocketConnection shape). Back-pressure comes from the
/// pipes' thresholds, so a slow reader stops the receive loop instead of growing a buffer.
/// </summary>
public sealed class TcpConnection : IConnection
{
    /// <summary>Bytes buffered per direction before the producer waits.</summary>
    private const long PauseThreshold = 1024 * 1024;

    /// <summary>Large receives: 16 KiB reads cost ~67 K recvfrom calls per GiB, 128 KiB ~8 K (bench/).</summary>
    private const int MinimumReceiveBuffer = BlockMemoryPool.BlockSize;

    /// <summary>
    /// How long disposal waits for bytes already written (a go-away, a refusal) to reach the
    /// socket before closing it; a peer that does not read gets no longer than this.
    /// </summary>
    private static readonly TimeSpan CloseLinger = TimeSpan.FromSeconds(1);

    private readonly Socket _socket;
    private readonly Pipe _receive;
    private readonly Pipe _send;
    private readonly CancellationTokenSource _closed = new();
    private readonly Task _receiveLoop;
    private readonly Task _sendLoop;
    private readonly Task _lifetime;
    private Exception? _abortReason;

    public TcpConnection(Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
        LocalAddress = Multiaddr.ForTcp((IPEndPoint)socket.LocalEndPoint!);
        RemoteAddress = Multiaddr.ForTcp((IPEndPoint)socket.RemoteEndPoint!);
        var options = BlockMemoryPool.CreatePipeOptions(PauseThreshold);
        _receive = new Pipe(options);
        _send = new Pipe(options);
        _receiveLoop = ReceiveLoopAsync();
        _sendLoop = SendLoopAsync();
        _lifetime = RunAsync();
    }

    public PipeReader Input => _receive.Reader;

    public PipeWriter Output => _send.Writer;

    public Multiaddr LocalAddress { get; }

    public Multiaddr RemoteAddress { get; }

    public CancellationToken Closed => _closed.Token;

    public void Abort(Exception? reason = null)
    {
        if (Interlocked.CompareExchange(ref _abortReason, reason ?? new ConnectionAbortedException("connection aborted"), null) is not null)
        {
            return;
        }
        // Only the loops touch their pipe ends (pipes are single-producer); here we wake them and
        // close the socket, and each loop completes its pipe with the abort reason.
        _socket.Dispose();
        _send.Reader.CancelPendingRead();
        _receive.Writer.CancelPendingFlush();
    }

    private async Task ReceiveLoopAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = _receive.Writer.GetMemory(MinimumReceiveBuffer);
                var received = await _socket.ReceiveAsync(memory, SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    break;
                }
                _receive.Writer.Advance(received);
                var flush = await _receive.Writer.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled || _abortReason is not null)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            error = _abortReason ?? new ConnectionAbortedException($"connection to {RemoteAddress} lost: {e.Message}", e);
        }
        await _receive.Writer.CompleteAsync(error ?? _abortReason).ConfigureAwait(false);
    }

    private async Task SendLoopAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await _send.Reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    var sent = 0;
                    while (sent < segment.Length)
                    {
                        sent += await _socket.SendAsync(segment[sent..], SocketFlags.None).ConfigureAwait(false);
                    }
                }
                _send.Reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
            if (_abortReason is null)
            {
                // The local side finished writing: send FIN, keep receiving.
                _socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            error = _abortReason ?? new ConnectionAbortedException($"connection to {RemoteAddress} lost: {e.Message}", e);
        }
        catch (Exception e)
        {
            // The application completed its writer with an error: reset rather than FIN.
            error = e;
            Abort(e);
        }
        await _send.Reader.CompleteAsync(error ?? _abortReason).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await Task.WhenAll(_receiveLoop, _sendLoop).ConfigureAwait(false);
        _socket.Dispose();
        _closed.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        // What was written before disposal still goes out, then FIN; only then is the socket
        // closed, so a peer hears the last words (a go-away, a refusal) rather than a reset.
        _send.Writer.Complete();
        try
        {
            await _sendLoop.WaitAsync(CloseLinger).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The peer is not reading; it gets the reset below.
        }
        _receive.Reader.Complete();
        // A peer that never closes its side would keep the receive loop alive; dispose means close.
        Abort(new ConnectionAbortedException("connection disposed"));
        await _lifetime.ConfigureAwait(false);
        _closed.Dispose();
    }
}
