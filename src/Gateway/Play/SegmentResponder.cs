// Spec: specs/gateway-hls.md §3 (segments: caching, ranges, timeouts).
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;

namespace Overlay.Gateway.Play;

/// <summary>
/// Writes one verified bundle's payload as an HTTP response: immutable caching with the payload
/// CID as ETag, 304 on a matching If-None-Match, one byte range (206, or 416 outside the file).
/// Every block is read through <see cref="UnixFsReader"/>, which checks it against its CID. The
/// first bytes are in hand before the status line goes out, so content nobody has answers with
/// an error status (the caller maps it to 504) rather than a 200 that never ends; once the body
/// has started, a block that does not arrive in time, or a payload shorter than the bundle
/// signs, resets the connection, so no client mistakes a truncated body for a whole one.
/// </summary>
internal static class SegmentResponder
{
    /// <summary>RFC 8246 immutable, with the year-long max-age IPFS gateways use for content-addressed bytes.</summary>
    public const string ImmutableCacheControl = "public, max-age=29030400, immutable";

    public static async Task WriteAsync(HttpContext context, IBlockStore store, Bundle bundle, Action<string>? aborted = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(bundle);
        var request = context.Request;
        var response = context.Response;
        var etag = $"\"{bundle.Payload}\"";
        response.Headers.ETag = etag;
        response.Headers.CacheControl = ImmutableCacheControl;
        response.Headers.AcceptRanges = "bytes";
        response.ContentType = MediaFormats.ContentTypeOf(bundle);
        if (Matches(request.Headers.IfNoneMatch, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        var size = bundle.Size;
        var (offset, length) = (0L, size);
        if (RequestedRange(request, etag) is { } range)
        {
            if (Resolve(range, size) is not { } resolved)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{size}";
                response.ContentType = null;
                return;
            }
            (offset, length) = resolved;
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {offset}-{offset + length - 1}/{size}");
        }
        response.ContentLength = length;
        if (HttpMethods.IsHead(request.Method))
        {
            return;
        }
        var cancellationToken = context.RequestAborted;
        var chunks = new UnixFsReader(store).ReadAsync(bundle.Payload, offset, length, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (chunks.ConfigureAwait(false))
        {
            // Before the status line: a miss throws to the caller, which answers 504.
            var more = await chunks.MoveNextAsync().ConfigureAwait(false);
            var written = 0L;
            try
            {
                while (more)
                {
                    var chunk = chunks.Current;
                    if (chunk.Length > length - written)
                    {
                        chunk = chunk[..(int)(length - written)];
                    }
                    await response.Body.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                    written += chunk.Length;
                    more = written < length && await chunks.MoveNextAsync().ConfigureAwait(false);
                }
                if (written != length)
                {
                    throw new VerificationException($"payload {bundle.Payload} ended after {offset + written} bytes; bundle {bundle.Seq} signs {size}");
                }
            }
            catch (Exception e) when (e is OverlayException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                // The status and length are sent: the only honest end is a reset.
                aborted?.Invoke(e.Message);
                context.Abort();
            }
        }
    }

    private static bool Matches(StringValues ifNoneMatch, string etag) =>
        ifNoneMatch.Any(v => v is not null && (v.Trim() == "*" || v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "W/" + etag)));

    /// <summary>The one range asked for, unless an If-Range names other content; several ranges are answered whole.</summary>
    private static RangeItemHeaderValue? RequestedRange(HttpRequest request, string etag)
    {
        var headers = request.GetTypedHeaders();
        if (headers.Range is not { } range || range.Unit != "bytes" || range.Ranges.Count != 1)
        {
            return null;
        }
        if (request.Headers.IfRange is { Count: > 0 } ifRange && ifRange.ToString().Trim() != etag)
        {
            return null;
        }
        return range.Ranges.First();
    }

    /// <summary>RFC 9110 §14.1.2: first-last, first-, or -suffix, clipped to the file; null when nothing of it is inside.</summary>
    private static (long Offset, long Length)? Resolve(RangeItemHeaderValue range, long size)
    {
        if (range.From is { } from)
        {
            if (from >= size)
            {
                return null;
            }
            var last = Math.Min(range.To ?? size - 1, size - 1);
            return last < from ? null : (from, last - from + 1);
        }
        if (range.To is { } suffix && suffix > 0)
        {
            var length = Math.Min(suffix, size);
            return (size - length, length);
        }
        return null;
    }
}
