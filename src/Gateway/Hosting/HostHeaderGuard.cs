using System.Net;
using Microsoft.AspNetCore.Http;
using Overlay.Gateway.Admin;
using Overlay.Gateway.Metrics;

namespace Overlay.Gateway.Hosting;

/// <summary>
/// DNS rebinding defence for a gateway on loopback: a page on evil.example whose name is made to
/// resolve to 127.0.0.1 still sends <c>Host: evil.example</c>, so only loopback names (localhost,
/// 127.0.0.0/8, [::1]) are answered, with no port or the gateway's own. A gateway bound to another
/// address was exposed on purpose (BRIEF §6), and answers any Host. Also refuses, for every route,
/// a request target with a dot segment (<c>/./</c>, <c>/../</c>, plain or percent-encoded): the
/// server would silently normalise it, and no legitimate client sends one.
/// </summary>
internal sealed class HostHeaderGuard(IPAddress listenAddress, GatewayMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (Problem(context) is { } problem)
        {
            if (problem.StartsWith("host", StringComparison.Ordinal))
            {
                metrics.HostRefusals.Increment();
            }
            await BoundedFetch.WriteErrorAsync(context, StatusCodes.Status400BadRequest, problem).ConfigureAwait(false);
            metrics.Responded("refused", StatusCodes.Status400BadRequest);
            return;
        }
        await next(context).ConfigureAwait(false);
    }

    private string? Problem(HttpContext context)
    {
        var host = context.Request.Host;
        if (IPAddress.IsLoopback(listenAddress))
        {
            if (!host.HasValue)
            {
                return "host header missing";
            }
            if (!AdminRequestGuard.IsLoopbackName(host.Host) || (host.Port is { } port && port != context.Connection.LocalPort))
            {
                return $"host \"{host}\" is not this gateway's loopback address: refused against DNS rebinding";
            }
        }
        return HasDotSegment(Ipfs.ContentPath.RawPathOf(context)) ? "the path has a '.' or '..' segment" : null;
    }

    internal static bool HasDotSegment(string rawPath)
    {
        foreach (var segment in rawPath.Split('/'))
        {
            var decoded = segment.Replace("%2e", ".", StringComparison.OrdinalIgnoreCase);
            if (decoded is "." or "..")
            {
                return true;
            }
        }
        return false;
    }
}
