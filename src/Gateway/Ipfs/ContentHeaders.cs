// Spec: https://specs.ipfs.tech/http-gateways/path-gateway/#response-headers
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Overlay.Gateway.Ipfs;

/// <summary>The response headers every content answer carries, and the If-None-Match check.</summary>
internal static class ContentHeaders
{
    /// <summary>A year (the spec's 29030400 s): content under a CID never changes.</summary>
    public const string Immutable = "public, max-age=29030400, immutable";

    /// <summary>
    /// Sets ETag, Cache-Control, X-Ipfs-Path, X-Ipfs-Roots and nosniff; returns true (and
    /// answers 304) when the client's If-None-Match already names this representation.
    /// </summary>
    public static bool SetAndCheckNotModified(HttpContext context, ContentRequest request, string etag)
    {
        var headers = context.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = request.CacheControl;
        headers["X-Ipfs-Path"] = request.Path.Display;
        headers["X-Ipfs-Roots"] = string.Join(',', request.Roots.Select(c => c.ToString()));
        headers.XContentTypeOptions = "nosniff";
        if (Matches(context.Request.Headers.IfNoneMatch, etag))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return true;
        }
        return false;
    }

    /// <summary><c>attachment</c> or <c>inline</c> with an ASCII fallback and the RFC 5987 UTF-8 name.</summary>
    public static void SetDisposition(HttpContext context, string kind, string fileName)
    {
        var ascii = new string(fileName.Select(c => c is >= ' ' and < (char)0x7f and not ('"' or '\\') ? c : '_').ToArray());
        context.Response.Headers.ContentDisposition = $"{kind}; filename=\"{ascii}\"; filename*=UTF-8''{Uri.EscapeDataString(fileName)}";
    }

    /// <summary>Weak comparison (RFC 9110 §13.1.2): <c>*</c>, or any listed tag equal to ours ignoring <c>W/</c>.</summary>
    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        if (ifNoneMatch.Count == 0 || !EntityTagHeaderValue.TryParseList(ifNoneMatch.ToArray()!, out var tags))
        {
            return false;
        }
        var ours = EntityTagHeaderValue.Parse(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(ours, useStrongComparison: false));
    }
}
