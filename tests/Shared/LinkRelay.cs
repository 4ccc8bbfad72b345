using System.Net;
using System.Net.Sockets;

namespace Overlay.Tests.Shared;

/// <summary>
/// A user-space link between two nodes on 127.0.0.1 (netem is not available): accepts on its own
/// port and forwards every connection to <c>target</c>, optionally delaying each chunk; the link
/// can be cut (every open connection closed, new ones refused) and restored, and it counts the
/// bytes it forwards (bench/Overlay.Bench compiles this file too, to count a topology's wire bytes).
/// </summary>
internal sealed class LinkRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accept;
    private volatile bool _cut;

    public LinkRelay(int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Added before each forwarded chunk, both directions.</summary>
    public TimeSpan Delay { get; set; }

    private long _bytesForwarded;

    /// <summary>Bytes forwarded in both directions so far.</summary>
    public long BytesForwarded => Interlocked.Read(ref _bytesForwarded);

    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }
            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
                if (_cut)
                {
                    inbound.Dispose();
                    continue;
                }
                var outbound = new TcpClient();
                try
                {
                    await outbound.ConnectAsync(_target, _stop.Token);
                }
                catch (SocketException)
                {
                    inbound.Dispose();
                    outbound.Dispose();
                    continue;
                }
                // Forward each chunk as it comes: Nagle's algorithm on the relay's own sockets would
                // hold small writes for the peer's delayed ACK (tens of ms per hop), a delay the link
                // being modelled does not have.
                inbound.NoDelay = outbound.NoDelay = true;
                lock (_open)
                {
                    _open.Add(inbound);
                    _open.Add(outbound);
                }
                _ = PumpAsync(inbound, outbound);
                _ = PumpAsync(outbound, inbound);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Relay stopped.
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var input = from.GetStream();
            var output = to.GetStream();
            while (true)
            {
                var read = await input.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }
                if (Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay, _stop.Token);
                }
                await output.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                Interlocked.Add(ref _bytesForwarded, read);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException or InvalidOperationException)
        {
            // The link was cut or one side closed.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accept;
        _stop.Dispose();
    }
}
