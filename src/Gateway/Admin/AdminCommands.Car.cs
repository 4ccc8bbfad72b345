// Shape: kubo's RPC, https://docs.ipfs.tech/reference/kubo/rpc/#api-v0-dag-export (and #api-v0-dag-import)
using Microsoft.AspNetCore.Http;
using Overlay.Blocks;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Car;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Admin;

internal sealed partial class AdminCommands
{
    /// <summary>Blocks a <c>dag/export</c> fetches at once ahead of its writer (PinStore's fetch uses as many).</summary>
    private const int ExportPrefetchWorkers = 16;

    /// <summary>
    /// <c>dag/export?arg=&lt;cid&gt;</c>: the DAG under the root as a CARv1 stream (depth-first,
    /// each block once), blocks the repo lacks fetched over bitswap and kept, all under a lease so
    /// a GC meanwhile takes none of them. The root is fetched before the first byte, so a wrong
    /// CID is an error answer; a block missing deeper aborts the response, which the client sees
    /// as an error instead of a short CAR.
    /// </summary>
    private async Task<IResult> DagExportAsync(HttpContext context)
    {
        var root = ApiPaths.ParseCid(ApiArguments.Required(context.Request, "root"));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        using var operation = node.Repo.Blocks.BeginOperation();
        var store = operation.Track(node.CreateNetworkBlocks());
        if (root.Hash.Code != Multicodec.Identity && await store.GetAsync(root, cancel.Token).ConfigureAwait(false) is null)
        {
            throw new BlockNotFoundException(root);
        }
        // Fetches ahead of the writer, so a remote DAG costs bandwidth, not a round trip per block.
        var prefetch = new DagPrefetch(store, root, ExportPrefetchWorkers, cancel.Token);
        await using var _ = prefetch.ConfigureAwait(false);
        context.Response.ContentType = "application/vnd.ipld.car";
        await context.Response.StartAsync(cancel.Token).ConfigureAwait(false);
        try
        {
            await CarExporter.ExportAsync(store, root, context.Response.Body, cancellationToken: cancel.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OverlayException or IOException or OperationCanceledException)
        {
            context.Abort();
        }
        return Results.Empty;
    }

    /// <summary>
    /// <c>dag/import?pin-roots=true&amp;stats=false&amp;silent=false</c> with CAR files (v1, or
    /// v2 wrapping v1) as multipart parts: every block is verified against its CID and stored
    /// under a lease, then the roots are pinned recursively (kubo's default; a root whose DAG is
    /// incomplete gets a PinErrorMsg). Answers a <c>{"Root":…}</c> line per root, then a
    /// <c>{"Stats":…}</c> line with <c>stats=true</c>. A malformed or tampered CAR is a 400, and
    /// the blocks this request had newly stored are removed again (unless another operation or a pin
    /// uses them by then), so nothing is left half-imported.
    /// </summary>
    private Task<IResult> DagImportAsync(HttpContext context) => StreamLinesAsync(context, async () =>
    {
        var request = context.Request;
        var pinRoots = ApiOptions.Boolean(request, true, "pin-roots");
        var stats = ApiOptions.Boolean(request, false, "stats");
        var silent = ApiOptions.Boolean(request, false, "silent");
        // A CAR is streamed section by section (each section bounded by the reader), so the
        // body itself may be as large as the repo allows.
        var reader = ApiMultipart.Open(context, maxBodySize: null);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        using var operation = node.Repo.Blocks.BeginOperation();
        var import = new CarImport(operation.Track(node.LocalBlocks), node.Repo.Blocks);
        try
        {
            var parts = 0;
            while (await ApiMultipart.NextAsync(reader, cancel.Token).ConfigureAwait(false) is { } section)
            {
                parts++;
                await import.ReadAsync(new MultipartBodyStream(section.Body), cancel.Token).ConfigureAwait(false);
            }
            if (parts == 0)
            {
                throw new ApiArgumentException("argument \"path\" is required: send the CAR files as multipart parts");
            }
        }
        catch (Exception)
        {
            // Our lease released first, the new blocks go by GC's rule, so one that another
            // operation or pin has come to use meanwhile stays.
            operation.Dispose();
            await node.Repo.Pins.CollectAsync(import.Added, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        var lines = new List<DagImportLine>();
        foreach (var root in import.Roots)
        {
            var pinError = "";
            if (pinRoots)
            {
                try
                {
                    // Local blocks only, as kubo pins imported roots: the CAR should carry the DAG.
                    await node.Repo.Pins.AddAsync(root, recursive: true, operation.Blocks, cancel.Token).ConfigureAwait(false);
                }
                catch (PinException e)
                {
                    pinError = e.Message;
                }
            }
            lines.Add(new DagImportLine { Root = new DagImportRoot(new RepoCidLink(root.ToString()), pinError) });
        }
        if (stats)
        {
            lines.Add(new DagImportLine { Stats = new DagImportStats(import.BlockCount, import.ByteCount) });
        }
        context.Response.ContentType = "application/json";
        foreach (var line in silent ? [] : lines)
        {
            await WriteJsonLineAsync(context.Response.Body, line, RepoPinJsonContext.Default.DagImportLine, cancel.Token).ConfigureAwait(false);
        }
    });
}
