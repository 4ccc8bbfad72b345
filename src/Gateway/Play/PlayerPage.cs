// Spec: specs/gateway-hls.md §6 (the player page).
using Microsoft.AspNetCore.Http;

namespace Overlay.Gateway.Play;

/// <summary>
/// <c>GET /</c> (the catalog and a player, web/index.html) and <c>GET /web/hls.min.js</c> (hls.js
/// from npm, embedded by the build): both are resources of this assembly, so the page works with
/// no network and nothing on disk.
/// </summary>
internal static class PlayerPage
{
    public const string PageResource = "Overlay.Gateway.web.index.html";

    public const string HlsResource = "Overlay.Gateway.web.hls.min.js";

    private static readonly Lazy<byte[]> Page = new(() => Load(PageResource));

    private static readonly Lazy<byte[]> Hls = new(() => Load(HlsResource));

    public static Task PageAsync(HttpContext context) =>
        WriteAsync(context, Page.Value, "text/html; charset=utf-8", "no-cache");

    /// <summary>It changes only with the gateway's build, so a day's caching is safe.</summary>
    public static Task HlsAsync(HttpContext context) =>
        WriteAsync(context, Hls.Value, "text/javascript; charset=utf-8", "public, max-age=86400");

    private static async Task WriteAsync(HttpContext context, byte[] body, string contentType, string cacheControl)
    {
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = cacheControl;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static byte[] Load(string name)
    {
        using var stream = typeof(PlayerPage).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"resource {name} is missing from the gateway assembly (the build embeds it)");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
