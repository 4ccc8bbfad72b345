using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Overlay.Addressing;
using Overlay.Gateway.Hosting;
using Overlay.Node;

namespace Overlay.Gateway;

/// <summary>
/// The HTTP gateway (127.0.0.1:7777 by default). For now it serves <c>GET /health</c> only;
/// the admin routes live on their own listener (<see cref="Admin.AdminApi"/>) and are never
/// reachable here, whatever interface this one is exposed on.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private GatewayServer(WebApplication app, Multiaddr address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where the gateway listens (the real port when 0 was asked for).</summary>
    public Multiaddr Address { get; }

    /// <exception cref="IOException">The endpoint cannot be bound.</exception>
    public static async Task<GatewayServer> StartAsync(OverlayNode node, IPEndPoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(endpoint);
        var app = KestrelHost.Create(endpoint);
        try
        {
            app.MapMethods("/health", [HttpMethods.Get, HttpMethods.Head], (RequestDelegate)(context =>
                TypedResults.Json(new HealthResponse("ok", node.PeerId.ToString(), node.Host.Connections.Count), ApiJsonContext.Default.HealthResponse)
                    .ExecuteAsync(context)));
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new GatewayServer(app, Multiaddr.ForTcp(new IPEndPoint(endpoint.Address, KestrelHost.BoundPort(app))));
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
