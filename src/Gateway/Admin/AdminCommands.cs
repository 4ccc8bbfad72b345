using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Overlay.Host;
using Overlay.Node;

namespace Overlay.Gateway.Admin;

/// <summary>
/// The commands of the admin API, one POST route each under <c>/api/v0/</c>, with kubo's names,
/// arguments and answer shapes: id, swarm/connect, swarm/peers, ping, version, shutdown, add, cat,
/// get, block/put|get|stat|rm, dag/put|get|export|import, pubsub/pub|sub|ls|peers and stream/publish|follow|ls.
/// </summary>
internal sealed partial class AdminCommands(OverlayNode node, VersionResponse version, Action requestShutdown, CancellationToken stopping, IStreamImporter? streamImporter = null)
{
    private static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();

    public void Map(IEndpointRouteBuilder routes)
    {
        Map(routes, "id", Id);
        Map(routes, "swarm/connect", SwarmConnectAsync);
        Map(routes, "swarm/peers", SwarmPeers);
        Map(routes, "ping", PingAsync);
        Map(routes, "version", _ => TypedResults.Json(version, ApiJsonContext.Default.VersionResponse));
        Map(routes, "shutdown", Shutdown);
        Map(routes, "add", AddAsync);
        Map(routes, "cat", CatAsync);
        Map(routes, "get", GetAsync);
        Map(routes, "block/put", BlockPutAsync);
        Map(routes, "block/get", BlockGetAsync);
        Map(routes, "block/stat", BlockStatAsync);
        Map(routes, "block/rm", BlockRemoveAsync);
        Map(routes, "dag/put", DagPutAsync);
        Map(routes, "dag/get", DagGetAsync);
        Map(routes, "dag/export", DagExportAsync);
        Map(routes, "dag/import", DagImportAsync);
        Map(routes, "pubsub/pub", PubSubPublishAsync);
        Map(routes, "pubsub/sub", PubSubSubscribeAsync);
        Map(routes, "pubsub/ls", PubSubTopics);
        Map(routes, "pubsub/peers", PubSubPeers);
        MapRepoAndPins(routes);
        MapStreams(routes);
        MapNames(routes);
        routes.MapFallback(context => ApiResults.Error(StatusCodes.Status404NotFound, $"unknown command \"{context.Request.Path}\"").ExecuteAsync(context));
    }

    private static void Map(IEndpointRouteBuilder routes, string command, Func<HttpContext, IResult> handler) =>
        Map(routes, command, context => Task.FromResult(handler(context)));

    /// <summary>A plain <see cref="RequestDelegate"/> per route: no reflection-built binding at startup.</summary>
    private static void Map(IEndpointRouteBuilder routes, string command, Func<HttpContext, Task<IResult>> handler) =>
        routes.MapPost(AdminApi.PathPrefix + command, (RequestDelegate)(async context =>
        {
            var result = await handler(context).ConfigureAwait(false);
            await result.ExecuteAsync(context).ConfigureAwait(false);
        }));

    /// <summary>Our identity and live addresses; with <c>arg=&lt;peer&gt;</c>, what identify told us about that peer.</summary>
    private IResult Id(HttpContext context)
    {
        var peerText = ApiArguments.Optional(context.Request, "peer");
        var peer = peerText is null ? node.PeerId : ApiArguments.Peer(peerText);
        if (peer == node.PeerId)
        {
            return TypedResults.Json(new IdResponse
            {
                Id = node.PeerId.ToString(),
                PublicKey = Convert.ToBase64String(node.Host.Identity.PublicKey.ToProtobuf()),
                Addresses = node.Addresses.Select(a => a.ToString()).ToArray(),
                AgentVersion = node.Host.AgentVersion,
                Protocols = node.Host.Protocols.ToArray(),
            }, ApiJsonContext.Default.IdResponse);
        }
        if (node.Host.Peers.Get(peer) is not { } info)
        {
            return ApiResults.Error(StatusCodes.Status500InternalServerError, $"peer {peer} is not known: connect to it first (overlay swarm connect)");
        }
        return TypedResults.Json(new IdResponse
        {
            Id = peer.ToString(),
            PublicKey = info.PublicKey is { } key ? Convert.ToBase64String(key.ToProtobuf()) : null,
            Addresses = info.Addresses.Select(a => a.WithPeer(peer.Bytes).ToString()).ToArray(),
            AgentVersion = info.AgentVersion,
            Protocols = info.Protocols,
        }, ApiJsonContext.Default.IdResponse);
    }

    /// <summary>Dials each <c>arg</c> multiaddr; a failure fails the command with kubo's "connect … failure" message.</summary>
    private async Task<IResult> SwarmConnectAsync(HttpContext context)
    {
        var args = ApiArguments.All(context.Request);
        if (args.Count == 0)
        {
            throw new ApiArgumentException("argument \"address\" is required");
        }
        var addresses = args.Select(ApiArguments.Multiaddress).ToArray();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var lines = new List<string>();
        foreach (var address in addresses)
        {
            var target = address.PeerIdBytes is { } bytes ? Manifest.Keys.PeerId.Decode(bytes.Span).ToString() : address.ToString();
            PeerConnection connection;
            try
            {
                connection = await node.Host.ConnectAsync(address, cancel.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Manifest.Errors.OverlayException)
            {
                return ApiResults.Error(StatusCodes.Status500InternalServerError, $"connect {target} failure: {e.Message}");
            }
            lines.Add($"connect {connection.RemotePeer} success");
        }
        return TypedResults.Json(new SwarmConnectResponse(lines), ApiJsonContext.Default.SwarmConnectResponse);
    }

    private IResult SwarmPeers(HttpContext context)
    {
        var peers = node.Host.Connections
            .Where(c => !c.Closed.IsCancellationRequested)
            .Select(c => new SwarmPeer
            {
                Address = c.RemoteAddress.WithoutPeer().ToString(),
                Peer = c.RemotePeer.ToString(),
                Direction = c.IsInbound ? SwarmPeer.Inbound : SwarmPeer.Outbound,
                Latency = node.Latencies.Get(c.RemotePeer) is { } rtt ? GoDuration.Format(rtt) : null,
            })
            .OrderBy(p => p.Peer, StringComparer.Ordinal)
            .ThenBy(p => p.Address, StringComparer.Ordinal)
            .ToArray();
        return TypedResults.Json(new SwarmPeersResponse(peers), ApiJsonContext.Default.SwarmPeersResponse);
    }

    private IResult Shutdown(HttpContext context)
    {
        // After the answer is out, so the caller sees success before the listener goes away.
        context.Response.OnCompleted(() =>
        {
            requestShutdown();
            return Task.CompletedTask;
        });
        return TypedResults.Ok();
    }
}
