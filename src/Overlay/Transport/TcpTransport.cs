using System.Net;
using System.Net.Sockets;
using Overlay.Addressing;

namespace Overlay.Transport;

/// <summary>Dials and listens on TCP multiaddrs (/ip4|ip6/…/tcp/…).</summary>
public sealed class TcpTransport
{
    public static bool CanDial(Multiaddr address) => address.ToTcpEndPoint() is not null;

    public async Task<TcpConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        var endpoint = address.ToTcpEndPoint() ?? throw new ArgumentException($"{address} is not a TCP address", nameof(address));
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return new TcpConnection(socket);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ConnectionAbortedException($"dial {address} failed: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public TcpListenerHandle Listen(Multiaddr address)
    {
        var endpoint = address.ToTcpEndPoint() ?? throw new ArgumentException($"{address} is not a TCP address", nameof(address));
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = endpoint.Address.Equals(IPAddress.IPv6Any);
            }
            socket.Bind(endpoint);
            socket.Listen(512);
            return new TcpListenerHandle(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
