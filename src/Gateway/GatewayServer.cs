using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Overlay.Addressing;
using Overlay.Gateway.Hosting;
using Overlay.Gateway.Ipfs;
using Overlay.Gateway.Metrics;
using Overlay.Gateway.Peers;
using Overlay.Node;

namespace Overlay.Gateway;

/// <summary>
/// The HTTP gateway (127.0.0.1:7777 by default): <c>/ipfs/</c> and <c>/ipns/</c> content
/// (specs/gateway-ipfs.md), <c>/peers</c>, <c>/metrics</c> and <c>/health</c>. On loopback it
/// answers only loopback Host names (DNS rebinding). The admin routes live on their own listener (<see cref="Admin.AdminApi"/>) and are never
/// reachable here, whatever interface this one is exposed on.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private GatewayServer(WebApplication app, Multiaddr address, GatewayMetrics metrics)
    {
        _app = app;
        Address = address;
        Metrics = metrics;
    }

    /// <summary>The gateway's own counters, exported on <c>/metrics</c>.</summary>
    public GatewayMetrics Metrics { get; }

    /// <summary>Where the gateway listens (the real port when 0 was asked for).</summary>
    public Multiaddr Address { get; }

    /// <exception cref="IOException">The endpoint cannot be bound.</exception>
    public static async Task<GatewayServer> StartAsync(OverlayNode node, IPEndPoint endpoint, CancellationToken cancellationToken = default, GatewayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new GatewayOptions();
        var metrics = new GatewayMetrics();
        var app = KestrelHost.Create(endpoint);
        try
        {
            app.Use(new HostHeaderGuard(endpoint.Address, metrics).InvokeAsync);
            IpfsRoutes.Map(app, node, options, metrics);
            PeersRoute.Map(app, node);
            MetricsRoute.Map(app, node, metrics);
            app.MapMethods("/health", [HttpMethods.Get, HttpMethods.Head], (RequestDelegate)(context =>
                TypedResults.Json(new HealthResponse("ok", node.PeerId.ToString(), node.Host.Connections.Count), ApiJsonContext.Default.HealthResponse)
                    .ExecuteAsync(context)));
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new GatewayServer(app, Multiaddr.ForTcp(new IPEndPoint(endpoint.Address, KestrelHost.BoundPort(app))), metrics);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
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
    }
}
