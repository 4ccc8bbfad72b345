// Shape: kubo's RPC, https://docs.ipfs.tech/reference/kubo/rpc/#api-v0-block-rm
using Microsoft.AspNetCore.Http;
using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Admin;

internal sealed partial class AdminCommands
{
    /// <summary>
    /// <c>block/rm?arg=&lt;cid&gt;…&amp;force=false&amp;quiet=false</c>: removes each block from the
    /// daemon's store (so its byte total and LRU stay right) and streams one
    /// <c>{"Hash","Error"}</c> line per CID, kubo's shape. A pinned block is kept and reported,
    /// as kubo does; a missing one is an error unless <c>force</c>; <c>quiet</c> leaves out the
    /// lines of blocks that were removed.
    /// </summary>
    private Task<IResult> BlockRemoveAsync(HttpContext context) => StreamLinesAsync(context, async () =>
    {
        var args = ApiArguments.All(context.Request);
        if (args.Count == 0)
        {
            throw new ApiArgumentException("argument \"cid\" is required");
        }
        // All parsed first, so a bad argument removes nothing.
        var cids = args.Select(ApiPaths.ParseCid).ToArray();
        var force = ApiOptions.Boolean(context.Request, false, "force", "f");
        var quiet = ApiOptions.Boolean(context.Request, false, "quiet", "q");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        context.Response.ContentType = "application/json";
        foreach (var cid in cids)
        {
            var error = await RemoveBlockAsync(cid, force, cancel.Token).ConfigureAwait(false);
            if (error is not null || !quiet)
            {
                await WriteJsonLineAsync(context.Response.Body, new BlockRmLine { Hash = cid.ToString(), Error = error }, RepoPinJsonContext.Default.BlockRmLine, cancel.Token).ConfigureAwait(false);
            }
        }
    });

    /// <summary>Null when the block is gone (or was never there, with <paramref name="force"/>); else why it stays.</summary>
    private async Task<string?> RemoveBlockAsync(Cid cid, bool force, CancellationToken cancellationToken)
    {
        if (await node.Repo.Pins.IsPinnedAsync(cid, cancellationToken).ConfigureAwait(false) is { } pinned)
        {
            return $"pinned: {pinned.ToString().ToLowerInvariant()}";
        }
        if (!await node.Repo.Blocks.HasAsync(cid, cancellationToken).ConfigureAwait(false))
        {
            return force ? null : "block not found";
        }
        // By GC's rule under the pin gate, so a pin or an add in flight that has come to use the
        // block since the check above keeps it (kubo holds its GC lock for the same reason).
        return await node.Repo.Pins.CollectAsync([cid], cancellationToken).ConfigureAwait(false) == 1 || !await node.Repo.Blocks.HasAsync(cid, cancellationToken).ConfigureAwait(false)
            ? null
            : "block is in use by a pin or an operation in progress";
    }
}
