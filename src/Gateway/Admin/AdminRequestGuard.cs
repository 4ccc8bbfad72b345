using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Overlay.Gateway.Admin;

/// <summary>
/// What keeps a web page in the user's browser from driving the admin API (kubo's rules):
/// the Host header must name a loopback host, so a DNS-rebound name is refused; a request with
/// an Origin (or, without one, a Referer) must come from the API's own origin, so a cross-site
/// form or fetch is refused; and only POST is accepted, which a plain link or image cannot send.
/// </summary>
internal static class AdminRequestGuard
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (Check(context) is var (status, message))
        {
            if (status == StatusCodes.Status405MethodNotAllowed)
            {
                context.Response.Headers.Allow = HttpMethods.Post;
            }
            await ApiResults.Error(status, message).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    }

    private static (int Status, string Message)? Check(HttpContext context)
    {
        var request = context.Request;
        if (!request.Host.HasValue)
        {
            return (StatusCodes.Status400BadRequest, "missing Host header");
        }
        if (!IsLoopbackName(request.Host.Host))
        {
            return (StatusCodes.Status403Forbidden, $"host \"{request.Host.Host}\" is not a loopback name: the admin API answers only requests addressed to localhost");
        }
        if (!IsSameOrigin(request.Headers.Origin, context.Connection.LocalPort, "origin"))
        {
            return (StatusCodes.Status403Forbidden, $"origin \"{request.Headers.Origin}\" is not allowed: the admin API refuses requests from web pages");
        }
        if (StringValues.IsNullOrEmpty(request.Headers.Origin) && !IsSameOrigin(request.Headers.Referer, context.Connection.LocalPort, "referer"))
        {
            return (StatusCodes.Status403Forbidden, $"referer \"{request.Headers.Referer}\" is not allowed: the admin API refuses requests from web pages");
        }
        if (!HttpMethods.IsPost(request.Method))
        {
            return (StatusCodes.Status405MethodNotAllowed, $"method {request.Method} not allowed: the admin API takes POST only");
        }
        return null;
    }

    /// <summary>"localhost", or an address in 127.0.0.0/8 or ::1.</summary>
    internal static bool IsLoopbackName(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>
    /// True when the header is absent, or names http://&lt;loopback&gt;:&lt;the port this request
    /// arrived on&gt; (for a Referer, any path below it).
    /// </summary>
    private static bool IsSameOrigin(StringValues header, int localPort, string kind)
    {
        if (StringValues.IsNullOrEmpty(header))
        {
            return true;
        }
        if (header.Count != 1 || !Uri.TryCreate(header[0], UriKind.Absolute, out var uri))
        {
            return false;
        }
        if (kind == "origin" && uri.PathAndQuery != "/")
        {
            return false;
        }
        return uri.Scheme == Uri.UriSchemeHttp && uri.Port == localPort && IsLoopbackName(uri.Host);
    }
}
