using System.Net;
using System.Net.Sockets;

namespace Overlay.Bench.Streams;

/// <summary>
/// A loopback TCP relay in front of one node's listener: every connection through it is copied
/// both ways and its bytes counted, so a topology's links report the bytes on the wire (Noise
/// frames, yamux, multistream, pubsub and bitswap together) without touching the nodes.
/// </summary>
internal sealed class CountingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accept;
    private long _bytes;

    public CountingRelay(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Bytes copied in both directions so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
                var outbound = new TcpClient();
                try
                {
                    await outbound.ConnectAsync(_target, _stop.Token);
                }
                catch (SocketException)
                {
                    // The node behind the relay has stopped (a redial while the topology is torn
                    // down): this connection is refused as the node itself would refuse it.
                    inbound.Dispose();
                    outbound.Dispose();
                    continue;
                }
                inbound.NoDelay = outbound.NoDelay = true;
                lock (_pumps)
                {
                    _pumps.Add(PumpAsync(inbound, outbound));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping: the listener is closed.
        }
    }

    private async Task PumpAsync(TcpClient a, TcpClient b)
    {
        using (a)
        using (b)
        {
            await Task.WhenAny(CopyAsync(a.GetStream(), b.GetStream()), CopyAsync(b.GetStream(), a.GetStream()));
        }
    }

    private async Task CopyAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                Interlocked.Add(ref _bytes, read);
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // A side closed or the relay stops: the link is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        Task[] pumps;
        lock (_pumps)
        {
            pumps = [.. _pumps];
        }
        await Task.WhenAll(pumps);
        _stop.Dispose();
    }
}
