using System.Globalization;
using System.Net;
using Overlay.Addressing;
using Overlay.Manifest.Errors;

namespace Overlay.Cli.Daemon;

/// <summary>
/// Reads where a server listens: <c>HOST:PORT</c> from a flag (<c>127.0.0.1:7779</c>,
/// <c>[::1]:7779</c>, <c>localhost:7779</c>) or a multiaddr from the config
/// (<c>/ip4/127.0.0.1/tcp/7779</c>). Only addresses, no DNS: a listener binds to an interface.
/// </summary>
internal static class EndpointArgument
{
    public static IPEndPoint Parse(string text, string what)
    {
        if (text.StartsWith('/'))
        {
            try
            {
                return Multiaddr.Parse(text).ToTcpEndPoint() ?? throw new CliException($"{what} \"{text}\" is not an /ip4 or /ip6 TCP address");
            }
            catch (MalformedDataException e)
            {
                throw new CliException($"{what} \"{text}\" is not a valid multiaddr: {e.Message}", e);
            }
        }
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new CliException($"{what} \"{text}\" is not HOST:PORT (e.g. 127.0.0.1:7779)");
        }
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }
        return IPAddress.TryParse(host, out var address)
            ? new IPEndPoint(address, port)
            : throw new CliException($"{what} \"{text}\": \"{host}\" is not an IP address or localhost");
    }
}
