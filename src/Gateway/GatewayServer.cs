using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Overlay.Addressing;
using Microsoft.Extensions.Logging;
using Overlay.Gateway.Hosting;
using Overlay.Gateway.Play;
using Overlay.Node;

namespace Overlay.Gateway;

/// <summary>
/// The HTTP gateway (127.0.0.1:7777 by default): <c>GET /health</c>, and the HLS side
/// (playlists, segments, catalog, player page: <see cref="PlayRoutes"/>, specs/gateway-hls.md); the admin routes live on their own listener (<see cref="Admin.AdminApi"/>) and are never
/// reachable here, whatever interface this one is exposed on.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly PlayRoutes _play;
    private int _disposed;

    private GatewayServer(WebApplication app, PlayRoutes play, Multiaddr address)
    {
        _app = app;
        _play = play;
        Address = address;
    }

    /// <summary>Where the gateway listens (the real port when 0 was asked for).</summary>
    public Multiaddr Address { get; }

    /// <exception cref="IOException">The endpoint cannot be bound.</exception>
    public static async Task<GatewayServer> StartAsync(
        OverlayNode node, IPEndPoint endpoint, PlayOptions? play = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(endpoint);
        var app = KestrelHost.Create(endpoint);
        PlayRoutes? playRoutes = null;
        try
        {
            app.MapMethods("/health", [HttpMethods.Get, HttpMethods.Head], (RequestDelegate)(context =>
                TypedResults.Json(new HealthResponse("ok", node.PeerId.ToString(), node.Host.Connections.Count), ApiJsonContext.Default.HealthResponse)
                    .ExecuteAsync(context)));
            playRoutes = PlayRoutes.Map(app, node, play, logger);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new GatewayServer(app, playRoutes, Multiaddr.ForTcp(new IPEndPoint(endpoint.Address, KestrelHost.BoundPort(app))));
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
