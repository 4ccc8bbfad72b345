using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Overlay.Addressing;

namespace Overlay.Transport;

/// <summary>Turns a listen address on every interface (0.0.0.0, ::) into the addresses that reach it.</summary>
internal static class InterfaceAddresses
{
    public static IEnumerable<Multiaddr> Expand(Multiaddr listening)
    {
        var endpoint = listening.ToTcpEndPoint();
        if (endpoint is null || !(endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any)))
        {
            return [listening];
        }
        var family = endpoint.AddressFamily;
        var addresses = Local(family).Select(ip => Multiaddr.ForTcp(new IPEndPoint(ip, endpoint.Port))).ToArray();
        return addresses.Length > 0 ? addresses : [listening];
    }

    /// <summary>Loopback first, then the others; IPv6 link-local is left out since a multiaddr cannot carry its zone.</summary>
    private static IEnumerable<IPAddress> Local(AddressFamily family)
    {
        IEnumerable<IPAddress> all;
        try
        {
            all = NetworkInterface.GetAllNetworkInterfaces()
                .Where(i => i.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown)
                .SelectMany(i => i.GetIPProperties().UnicastAddresses.Select(u => u.Address))
                .ToArray();
        }
        catch (NetworkInformationException)
        {
            // No interface list (restricted sandbox): the caller keeps the unspecified address.
            return [];
        }
        return all
            .Where(ip => ip.AddressFamily == family && !ip.IsIPv6LinkLocal)
            .Distinct()
            .OrderBy(ip => IPAddress.IsLoopback(ip) ? 0 : 1);
    }
}
