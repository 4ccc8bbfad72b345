using Overlay.Addressing;
using Overlay.Transport;

namespace Overlay.Tests.Support;

/// <summary>A connected pair of real loopback TCP connections.</summary>
internal static class TcpConnectionPair
{
    public static async Task<(IConnection Dialer, IConnection Listener)> CreateAsync(CancellationToken cancellationToken = default)
    {
        var transport = new TcpTransport();
        await using var listener = transport.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));
        var accept = listener.AcceptAsync(cancellationToken);
        var dialer = await transport.DialAsync(listener.LocalAddress, cancellationToken);
        var accepted = await accept ?? throw new InvalidOperationException("listener closed");
        return (dialer, accepted);
    }
}
