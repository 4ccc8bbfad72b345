using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Overlay.Node;

namespace Overlay.Gateway.Peers;

/// <summary><c>GET|HEAD /peers</c>: connected peers with their connection addresses, announced addresses and protocols.</summary>
internal static class PeersRoute
{
    public static void Map(IEndpointRouteBuilder routes, OverlayNode node) =>
        routes.MapMethods("/peers", [HttpMethods.Get, HttpMethods.Head], (RequestDelegate)(context =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Json(Describe(node), PeersJsonContext.Default.PeersResponse).ExecuteAsync(context);
        }));

    internal static PeersResponse Describe(OverlayNode node)
    {
        var peers = node.Host.Connections
            .Where(c => !c.Closed.IsCancellationRequested)
            .GroupBy(c => c.RemotePeer)
            .Select(group =>
            {
                var info = node.Host.Peers.Get(group.Key);
                return new PeerEntry
                {
                    Id = group.Key.ToString(),
                    Connections = group.Select(c => c.RemoteAddress.WithoutPeer().ToString()).Order(StringComparer.Ordinal).ToArray(),
                    Addresses = info?.Addresses.Select(a => a.ToString()).ToArray() ?? [],
                    Protocols = info?.Protocols ?? [],
                    AgentVersion = info?.AgentVersion,
                    LatencyMs = node.Latencies.Get(group.Key)?.TotalMilliseconds,
                };
            })
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .ToArray();
        return new PeersResponse(node.PeerId.ToString(), peers);
    }
}
