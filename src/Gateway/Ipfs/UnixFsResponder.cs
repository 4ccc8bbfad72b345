// Spec: https://specs.ipfs.tech/http-gateways/path-gateway/ (UnixFS files and directories, Range, redirects)
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using Overlay.Gateway.Metrics;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;

namespace Overlay.Gateway.Ipfs;

/// <summary>
/// Deserialized UnixFS answers: a file's bytes (whole, or one byte range as 206; 416 past the
/// end), a directory's <c>index.html</c> or a generated listing (after a 301 to the trailing
/// slash form), a symlink's target as text.
/// </summary>
internal sealed class UnixFsResponder(GatewayMetrics metrics, int readAhead)
{
    /// <summary>Enough for a file's root and first leaf (1 MiB leaves) or a directory and its index page.</summary>
    private const int MemoBytes = 2 << 20;

    private readonly UnixFsReaderOptions _readOptions = new() { Prefetch = readAhead };

    public async Task WriteAsync(HttpContext context, ContentRequest request, IBlockStore store, CancellationToken cancellationToken)
    {
        var memo = new RequestBlockMemo(store, MemoBytes);
        var reader = new UnixFsReader(memo, _readOptions);
        var stat = await reader.StatAsync(request.Terminal, cancellationToken).ConfigureAwait(false);
        switch (stat.Type)
        {
            case UnixFsType.Directory:
                await WriteDirectoryAsync(context, request, reader, memo, stat, cancellationToken).ConfigureAwait(false);
                break;
            case UnixFsType.Symlink:
                if (!ContentHeaders.SetAndCheckNotModified(context, request, $"\"{stat.Cid}\""))
                {
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    await WriteBodyAsync(context, System.Text.Encoding.UTF8.GetBytes(stat.SymlinkTarget ?? ""), cancellationToken).ConfigureAwait(false);
                }
                break;
            default:
                await WriteFileAsync(context, request, reader, memo, stat, request.Name, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task WriteDirectoryAsync(HttpContext context, ContentRequest request, UnixFsReader reader, RequestBlockMemo memo, UnixFsStat stat, CancellationToken cancellationToken)
    {
        if (!request.Path.TrailingSlash)
        {
            // Relative links in a directory's page resolve against the directory only with the slash.
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.Location = request.Path.Display + "/" + context.Request.QueryString;
            context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            return;
        }
        Cid? index = null;
        try
        {
            index = await reader.ResolveAsync(stat.Cid, "index.html", cancellationToken).ConfigureAwait(false);
        }
        catch (UnixFsPathNotFoundException)
        {
        }
        if (index is not null)
        {
            var indexStat = await reader.StatAsync(index, cancellationToken).ConfigureAwait(false);
            if (indexStat.Type == UnixFsType.File)
            {
                request.Roots.Add(index);
                await WriteFileAsync(context, request, reader, memo, indexStat, "index.html", cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        if (ContentHeaders.SetAndCheckNotModified(context, request, $"W/\"DirIndex-v1_CID-{stat.Cid}\""))
        {
            return;
        }
        context.Response.ContentType = "text/html; charset=utf-8";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }
        var page = await DirectoryListing.RenderAsync(request, reader, stat.Cid, cancellationToken).ConfigureAwait(false);
        await WriteBodyAsync(context, page, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteFileAsync(HttpContext context, ContentRequest request, UnixFsReader reader, RequestBlockMemo memo, UnixFsStat stat, string? name, CancellationToken cancellationToken)
    {
        if (stat.Size > long.MaxValue)
        {
            throw new GatewayRequestException(StatusCodes.Status502BadGateway, $"{stat.Cid}: file size {stat.Size} is past what HTTP can address here");
        }
        var size = (long)stat.Size;
        if (ContentHeaders.SetAndCheckNotModified(context, request, $"\"{stat.Cid}\""))
        {
            return;
        }
        var response = context.Response;
        response.Headers.AcceptRanges = "bytes";
        response.ContentType = ContentTypes.FromName(name) ?? ContentTypes.Sniff(await HeadAsync(reader, stat.Cid, cancellationToken).ConfigureAwait(false));
        SetFileDisposition(context);
        var (offset, length) = (0L, size);
        if (SingleRange(context.Request, size, out var range) is { } satisfiable)
        {
            if (!satisfiable)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{size}";
                response.ContentLength = 0;
                return;
            }
            (offset, length) = range;
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {offset}-{offset + length - 1}/{size}");
        }
        response.ContentLength = length;
        if (HttpMethods.IsHead(context.Request.Method) || length == 0)
        {
            return;
        }
        await foreach (var chunk in reader.ReadAsync(stat.Cid, offset, length, cancellationToken).ConfigureAwait(false))
        {
            // The body's reader has now taken the root and the first leaf from the memo: a long
            // download must not keep them (or anything after them) for its whole length.
            memo.Forget();
            await response.Body.WriteAsync(chunk, context.RequestAborted).ConfigureAwait(false);
            metrics.BytesServed.Add(chunk.Length);
        }
    }

    /// <summary>
    /// The one byte range asked for: null without a usable Range header (several ranges are
    /// answered whole, as the spec allows), false when it starts past the end.
    /// </summary>
    private static bool? SingleRange(HttpRequest request, long size, out (long Offset, long Length) range)
    {
        range = default;
        RequestHeaders headers = request.GetTypedHeaders();
        if (headers.Range is not { Unit.Value: "bytes", Ranges.Count: 1 } header)
        {
            return null;
        }
        var only = header.Ranges.First();
        long from, to;
        if (only.From is { } start)
        {
            from = start;
            to = only.To is { } end ? Math.Min(end, size - 1) : size - 1;
        }
        else if (only.To is { } suffix)
        {
            from = Math.Max(0, size - suffix);
            to = size - 1;
            if (suffix == 0)
            {
                return false;
            }
        }
        else
        {
            return null;
        }
        if (from >= size || from > to)
        {
            return false;
        }
        range = (from, to - from + 1);
        return true;
    }

    private static void SetFileDisposition(HttpContext context)
    {
        var query = context.Request.Query;
        if (query.TryGetValue("filename", out var names) && names.Count > 0 && !string.IsNullOrEmpty(names[^1]))
        {
            var download = query.TryGetValue("download", out var d) && d.Count > 0 && d[^1] == "true";
            ContentHeaders.SetDisposition(context, download ? "attachment" : "inline", names[^1]!);
        }
    }

    private static async Task<byte[]> HeadAsync(UnixFsReader reader, Cid cid, CancellationToken cancellationToken)
    {
        using var head = new MemoryStream(ContentTypes.SniffLength);
        await foreach (var chunk in reader.ReadAsync(cid, 0, ContentTypes.SniffLength, cancellationToken).ConfigureAwait(false))
        {
            head.Write(chunk.Span);
        }
        return head.ToArray();
    }

    private async Task WriteBodyAsync(HttpContext context, byte[] body, CancellationToken cancellationToken)
    {
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            metrics.BytesServed.Add(body.Length);
        }
    }
}
