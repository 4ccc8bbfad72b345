// Spec: https://specs.ipfs.tech/http-gateways/trustless-gateway/ (raw blocks, CAR with dag-scope and entity-bytes)
using Microsoft.AspNetCore.Http;
using Overlay.Gateway.Metrics;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Car;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;

namespace Overlay.Gateway.Ipfs;

/// <summary>
/// Verifiable answers: the terminal block as <c>application/vnd.ipld.raw</c>, or a CARv1 (root:
/// the path's root CID) holding the blocks a client needs to verify the path from the root to
/// the terminal, then the terminal's DAG as <c>dag-scope</c> asks (<c>all</c> by default,
/// <c>entity</c>, <c>block</c>) in depth-first order without duplicates, or, with
/// <c>entity-bytes=from:to</c>, only the blocks of that byte range of a file.
/// </summary>
internal sealed class TrustlessResponder(GatewayMetrics metrics)
{
    public const string CarContentType = ResponseFormats.CarType + "; version=1; order=dfs; dups=n";

    public async Task WriteRawAsync(HttpContext context, ContentRequest request, IBlockStore store, CancellationToken cancellationToken)
    {
        var cid = request.Terminal;
        var block = await VerifiedBlock.GetAsync(store, cid, cancellationToken).ConfigureAwait(false);
        if (ContentHeaders.SetAndCheckNotModified(context, request, $"\"{cid}.raw\""))
        {
            return;
        }
        context.Response.ContentType = ResponseFormats.RawType;
        ContentHeaders.SetDisposition(context, "attachment", $"{cid}.bin");
        context.Response.Headers.Vary = "Accept";
        context.Response.ContentLength = block.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(block, context.RequestAborted).ConfigureAwait(false);
            metrics.BytesServed.Add(block.Length);
        }
    }

    /// <param name="recorder">The store the path was resolved through: it holds the path's blocks, in order.</param>
    public async Task WriteCarAsync(HttpContext context, ContentRequest request, RecordingBlockStore recorder, CancellationToken cancellationToken)
    {
        ResponseFormats.CheckCarParameters(context.Request);
        var query = context.Request.Query;
        var scope = query.TryGetValue("dag-scope", out var s) && s.Count > 0 ? s[^1] : "all";
        if (scope is not ("all" or "entity" or "block"))
        {
            throw new GatewayRequestException(StatusCodes.Status400BadRequest, $"dag-scope \"{scope}\" is not one of all, entity, block");
        }
        var bytes = query.TryGetValue("entity-bytes", out var b) && b.Count > 0 ? EntityBytes.Parse(b[^1]!) : null;
        var cid = request.Terminal;
        // The terminal block before any header, so a missing or bad root is a status, not a cut CAR.
        await VerifiedBlock.GetAsync(recorder, cid, cancellationToken).ConfigureAwait(false);
        var etag = $"W/\"{cid}.car.{scope}{(bytes is null ? "" : "." + bytes)}\"";
        if (ContentHeaders.SetAndCheckNotModified(context, request, etag))
        {
            return;
        }
        context.Response.ContentType = CarContentType;
        ContentHeaders.SetDisposition(context, "attachment", $"{cid}.car");
        context.Response.Headers.Vary = "Accept";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }
        var counting = new CountingStream(context.Response.Body, metrics);
        var writer = await CarWriter.CreateAsync(counting, [request.Root], context.RequestAborted).ConfigureAwait(false);
        await DrainAsync(writer, recorder, cancellationToken).ConfigureAwait(false);
        if (bytes is not null && cid.Codec is Multicodec.DagPb or Multicodec.Raw)
        {
            await WriteRangeAsync(writer, recorder, cid, bytes, cancellationToken).ConfigureAwait(false);
        }
        else if (scope == "entity" && cid.Codec == Multicodec.DagPb)
        {
            await WriteEntityAsync(writer, recorder, cid, cancellationToken).ConfigureAwait(false);
        }
        else if (scope != "block")
        {
            await WriteDagAsync(writer, recorder, cid, cancellationToken).ConfigureAwait(false);
        }
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Depth-first pre-order under <paramref name="root"/>, each block verified, each written once.</summary>
    private static async Task WriteDagAsync(CarWriter writer, RecordingBlockStore recorder, Cid root, CancellationToken cancellationToken)
    {
        var pending = new Stack<Cid>();
        pending.Push(root);
        var first = true;
        while (pending.TryPop(out var cid))
        {
            ReadOnlyMemory<byte> block;
            if (first)
            {
                // Already fetched, verified and written with the path blocks.
                block = await VerifiedBlock.GetAsync(recorder, cid, cancellationToken).ConfigureAwait(false);
                first = false;
            }
            else
            {
                if (cid.Hash.Code == Multicodec.Identity || !recorder.MarkSeen(cid))
                {
                    continue;
                }
                block = await VerifiedBlock.GetAsync(recorder, cid, cancellationToken).ConfigureAwait(false);
                await writer.WriteBlockAsync(cid, block, cancellationToken).ConfigureAwait(false);
            }
            var links = DagLinks.Of(cid, block.Span);
            for (var i = links.Count - 1; i >= 0; i--)
            {
                pending.Push(links[i]);
            }
        }
    }

    /// <summary>A file's whole DAG; a directory's own block and, for a HAMT, its shards (not the entries).</summary>
    private static async Task WriteEntityAsync(CarWriter writer, RecordingBlockStore recorder, Cid cid, CancellationToken cancellationToken)
    {
        var reader = new UnixFsReader(recorder, new UnixFsReaderOptions { Prefetch = 0 });
        var stat = await reader.StatAsync(cid, cancellationToken).ConfigureAwait(false);
        if (stat.Type != UnixFsType.Directory)
        {
            await WriteDagAsync(writer, recorder, cid, cancellationToken).ConfigureAwait(false);
            return;
        }
        await foreach (var _ in reader.ListAsync(cid, cancellationToken).ConfigureAwait(false))
        {
            await DrainAsync(writer, recorder, cancellationToken).ConfigureAwait(false);
        }
        await DrainAsync(writer, recorder, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The blocks a reader loads for the byte range, in the order it loads them (no look-ahead).</summary>
    private static async Task WriteRangeAsync(CarWriter writer, RecordingBlockStore recorder, Cid cid, EntityBytes bytes, CancellationToken cancellationToken)
    {
        var reader = new UnixFsReader(recorder, new UnixFsReaderOptions { Prefetch = 0 });
        var stat = await reader.StatAsync(cid, cancellationToken).ConfigureAwait(false);
        if (stat.Type != UnixFsType.File)
        {
            await WriteEntityAsync(writer, recorder, cid, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (bytes.Resolve((long)Math.Min(stat.Size, long.MaxValue)) is { } range)
        {
            await foreach (var _ in reader.ReadAsync(cid, range.Offset, range.Length, cancellationToken).ConfigureAwait(false))
            {
                await DrainAsync(writer, recorder, cancellationToken).ConfigureAwait(false);
            }
        }
        await DrainAsync(writer, recorder, cancellationToken).ConfigureAwait(false);
    }

    private static async Task DrainAsync(CarWriter writer, RecordingBlockStore recorder, CancellationToken cancellationToken)
    {
        foreach (var (cid, data) in recorder.TakeRecorded())
        {
            if (cid.Hash.Code != Multicodec.Identity)
            {
                await writer.WriteBlockAsync(cid, data, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
