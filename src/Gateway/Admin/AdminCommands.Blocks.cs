// Shape: kubo's RPC, https://docs.ipfs.tech/reference/kubo/rpc/#api-v0-block-put (and -get, -stat)
using Overlay.Manifest.Codecs;
using Microsoft.AspNetCore.Http;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Admin;

internal sealed partial class AdminCommands
{
    /// <summary>kubo's soft block limit (1 MiB, inclusive): bigger blocks cannot travel over standard bitswap.</summary>
    private const int SoftBlockLimit = 1024 * 1024;

    /// <summary>What <c>allow-big-block</c> still bounds a block to, so one request cannot take the daemon's memory.</summary>
    private const int HardBlockLimit = 64 * 1024 * 1024;

    /// <summary>Room for the multipart framing around a block.</summary>
    private const int MultipartOverhead = 64 * 1024;

    /// <summary>
    /// <c>block/put?cid-codec=raw&amp;mhtype=sha2-256</c> with the data as a multipart file
    /// (kubo ≥ 0.13 defaults: CIDv1, raw): stores it durably and answers <c>{"Key","Size"}</c>
    /// once it is on disk; <c>pin=true</c> pins it (kubo's default is false). Blocks over 1 MiB
    /// need <c>allow-big-block</c>.
    /// </summary>
    private async Task<IResult> BlockPutAsync(HttpContext context)
    {
        var codecName = ApiOptions.Text(context.Request, "cid-codec") ?? "raw";
        var hashName = ApiOptions.Text(context.Request, "mhtype") ?? "sha2-256";
        if (!IpldCodecs.TryGetCodec(codecName, out var codec))
        {
            throw new ApiArgumentException($"unsupported cid-codec \"{codecName}\"; one of: {string.Join(", ", IpldCodecs.Names)}");
        }
        if (!IpldCodecs.TryGetHash(hashName, out var algorithm))
        {
            throw new ApiArgumentException($"unsupported mhtype \"{hashName}\"; one of: {string.Join(", ", IpldCodecs.HashNames)}");
        }
        var limit = ApiOptions.Boolean(context.Request, false, "allow-big-block") ? HardBlockLimit : SoftBlockLimit;
        var reader = ApiMultipart.Open(context, limit + MultipartOverhead);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var section = await ApiMultipart.FirstAsync(reader, "data", cancel.Token).ConfigureAwait(false);
        var data = await ApiMultipart.ReadAllAsync(new MultipartBodyStream(section.Body), limit, () => new ApiArgumentException(
            limit == SoftBlockLimit
                ? "produced block is over 1MiB: big blocks can't be exchanged with other peers. consider using UnixFS for automatic chunking of bigger files (`overlay add`), or pass allow-big-block to override"
                : $"block is over {HardBlockLimit} bytes"), cancel.Token).ConfigureAwait(false);
        var cid = Cid.CreateV1(codec, Multihash.Compute(data, algorithm));
        using var operation = node.Repo.Blocks.BeginOperation();
        await operation.Track(node.LocalBlocks).PutAsync(cid, data, cancel.Token).ConfigureAwait(false);
        if (ApiOptions.Boolean(context.Request, false, "pin"))
        {
            await node.Repo.Pins.AddAsync(cid, recursive: true, operation.Blocks, cancel.Token).ConfigureAwait(false);
        }
        return TypedResults.Json(new BlockStatResponse(cid.ToString(), data.Length), ApiJsonContext.Default.BlockStatResponse);
    }

    /// <summary><c>block/get?arg=&lt;cid&gt;</c>: the block's bytes, from the repo or fetched over bitswap.</summary>
    private async Task<IResult> BlockGetAsync(HttpContext context)
    {
        var data = await ReadBlockAsync(context).ConfigureAwait(false);
        return TypedResults.Bytes(data, "application/octet-stream");
    }

    /// <summary><c>block/stat?arg=&lt;cid&gt;</c>: <c>{"Key","Size"}</c>; like kubo it reads (and verifies) the block.</summary>
    private async Task<IResult> BlockStatAsync(HttpContext context)
    {
        var data = await ReadBlockAsync(context).ConfigureAwait(false);
        return TypedResults.Json(new BlockStatResponse(ApiPaths.ParseCid(ApiArguments.Required(context.Request, "cid")).ToString(), data.Length), ApiJsonContext.Default.BlockStatResponse);
    }

    private async Task<ReadOnlyMemory<byte>> ReadBlockAsync(HttpContext context)
    {
        var cid = ApiPaths.ParseCid(ApiArguments.Required(context.Request, "cid"));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        return await node.CreateNetworkBlocks().GetAsync(cid, cancel.Token).ConfigureAwait(false)
            ?? throw new BlockNotFoundException(cid);
    }
}
