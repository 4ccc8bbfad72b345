// Spec: specs/gateway-hls.md §1 (routes).
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Overlay.Gateway.Metrics;
using Overlay.Node;

namespace Overlay.Gateway.Play;

/// <summary>
/// The gateway's HLS side: playlists, segments, the catalog and the player page, mapped on the
/// gateway's application. Owns the prefetch workers; dispose it after the server stops.
/// </summary>
internal sealed class PlayRoutes : IAsyncDisposable
{
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    private readonly Prefetcher _prefetcher;

    private PlayRoutes(Prefetcher prefetcher) => _prefetcher = prefetcher;

    public static PlayRoutes Map(IEndpointRouteBuilder routes, OverlayNode node, GatewayMetrics metrics, PlayOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(metrics);
        options ??= new PlayOptions();
        options.Validate();
        logger ??= NullLogger.Instance;
        var streams = new PlaybackStreams(node, options);
        var prefetcher = new Prefetcher(options.PrefetchAhead, logger);
        var play = new PlayEndpoints(streams, prefetcher, metrics, logger);
        var catalog = new CatalogEndpoints(streams);
        // Each answer is counted by route group and status on /metrics, as the /ipfs routes' are.
        async Task Counted(HttpContext c, string route, Task handled)
        {
            await handled.ConfigureAwait(false);
            metrics.Responded(route, c.Response.StatusCode);
        }
        routes.MapMethods("/play/{name}", GetOrHead, (HttpContext c, string name) => Counted(c, "play", play.PlaylistAsync(c, name)));
        routes.MapMethods("/play/{address}/{file}", GetOrHead, (HttpContext c, string address, string file) => Counted(c, "play", play.RenditionPlaylistAsync(c, address, file)));
        routes.MapMethods("/segment/{address}/{file}", GetOrHead, (HttpContext c, string address, string file) => Counted(c, "segment", play.SegmentAsync(c, address, file)));
        routes.MapMethods("/catalog", GetOrHead, catalog.CatalogAsync);
        routes.MapMethods("/catalog/{address}", GetOrHead, (HttpContext c, string address) => catalog.StreamAsync(c, address));
        routes.MapMethods("/", GetOrHead, PlayerPage.PageAsync);
        routes.MapMethods("/web/hls.min.js", GetOrHead, PlayerPage.HlsAsync);
        return new PlayRoutes(prefetcher);
    }

    public ValueTask DisposeAsync() => _prefetcher.DisposeAsync();
}
