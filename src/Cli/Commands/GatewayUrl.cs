using System.Net;
using Overlay.Addressing;
using Overlay.Cli.Daemon;
using Overlay.Repo;

namespace Overlay.Cli.Commands;

/// <summary>
/// The base URL of this repo's gateway for the URLs commands print (<c>overlay play</c>,
/// <c>overlay publish</c>): the running daemon's real address from the repo's <c>gateway</c>
/// file (right whatever <c>--gateway</c> it was given, port 0 included), else the config's
/// <c>Addresses.Gateway</c>, which a plain <c>overlay daemon</c> would use.
/// </summary>
internal static class GatewayUrl
{
    /// <summary><c>http://host:port</c>; an unspecified host (0.0.0.0, ::) means this machine.</summary>
    public static string Of(string repoPath)
    {
        var address = ApiFile.TryRead(repoPath, ApiFile.GatewayFileName)?.ToTcpEndPoint()
            ?? EndpointArgument.Parse(OverlayRepo.Open(repoPath).Config.Addresses.Gateway, "Addresses.Gateway");
        var host = address.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : address.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : address.Address;
        return $"http://{new IPEndPoint(host, address.Port)}";
    }
}
