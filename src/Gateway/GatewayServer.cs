using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Overlay.Addressing;
using Microsoft.Extensions.Logging;
using Overlay.Gateway.Hosting;
using Overlay.Gateway.Ipfs;
using Overlay.Gateway.Metrics;
using Overlay.Gateway.Peers;
using Overlay.Gateway.Play;
using Overlay.Node;

namespace Overlay.Gateway;

/// <summary>
/// The HTTP gateway (127.0.0.1:7777 by default): <c>/ipfs/</c> and <c>/ipns/</c> content
/// (specs/gateway-ipfs.md), the HLS side (playlists, segments, catalog, player page:
/// <see cref="PlayRoutes"/>, specs/gateway-hls.md), <c>/peers</c>, <c>/metrics</c> and <c>/health</c>.
/// On loopback it answers only loopback Host names (DNS rebinding). The admin routes live on their own listener (<see cref="Admin.AdminApi"/>) and are never
/// reachable here, whatever interface this one is exposed on.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly PlayRoutes _play;
    private int _disposed;

    private GatewayServer(WebApplication app, PlayRoutes play, Multiaddr address, GatewayMetrics metrics)
    {
        _app = app;
        _play = play;
        Address = address;
        Metrics = metrics;
    }

    /// <summary>The gateway's own counters, exported on <c>/metrics</c>.</summary>
    public GatewayMetrics Metrics { get; }

    /// <summary>Where the gateway listens (the real port when 0 was asked for).</summary>
    public Multiaddr Address { get; }

    /// <exception cref="IOException">The endpoint cannot be bound.</exception>
    public static async Task<GatewayServer> StartAsync(
        OverlayNode node, IPEndPoint endpoint, GatewayOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new GatewayOptions();
        var metrics = new GatewayMetrics();
        var app = KestrelHost.Create(endpoint);
        PlayRoutes? playRoutes = null;
        try
        {
            app.Use(new HostHeaderGuard(endpoint.Address, metrics).InvokeAsync);
            IpfsRoutes.Map(app, node, options, metrics);
            PeersRoute.Map(app, node);
            MetricsRoute.Map(app, node, metrics);
            app.MapMethods("/health", [HttpMethods.Get, HttpMethods.Head], (RequestDelegate)(context =>
                TypedResults.Json(new HealthResponse("ok", node.PeerId.ToString(), node.Host.Connections.Count), ApiJsonContext.Default.HealthResponse)
                    .ExecuteAsync(context)));
            // One pair of bounds for every content route: a stream's head is waited for as long as
            // any first byte, and a segment's block as long as any block under way.
            playRoutes = PlayRoutes.Map(app, node, metrics, new PlayOptions { HeadWait = options.FetchTimeout, FetchTimeout = options.BlockTimeout }, logger);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new GatewayServer(app, playRoutes, Multiaddr.ForTcp(new IPEndPoint(endpoint.Address, KestrelHost.BoundPort(app))), metrics);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            if (playRoutes is not null)
            {
                await playRoutes.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _play.DisposeAsync().ConfigureAwait(false);
    }
}
