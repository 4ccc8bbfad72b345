// Shape: kubo's RPC, https://docs.ipfs.tech/reference/kubo/rpc/#api-v0-dag-put (and #api-v0-dag-get)
using Overlay.Manifest.Codecs;
using Microsoft.AspNetCore.Http;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Admin;

internal sealed partial class AdminCommands
{
    /// <summary>Nodes one <c>dag/put</c> request may carry, so the body stays bounded.</summary>
    private const int MaxDagPutParts = 16;

    /// <summary>
    /// <c>dag/put?input-codec=dag-json&amp;store-codec=dag-cbor&amp;hash=sha2-256&amp;pin=false</c> with one
    /// multipart file per node: each is decoded, re-encoded in the store codec, stored under a
    /// lease (pinned recursively with <c>pin=true</c>) and answered with a
    /// <c>{"Cid":{"/":…}}</c> line. A node is checked whole before anything of it is stored, so
    /// bad bytes are a 400 that stores nothing. Blocks over 1 MiB need <c>allow-big-block</c>.
    /// </summary>
    private Task<IResult> DagPutAsync(HttpContext context) => StreamLinesAsync(context, async () =>
    {
        var request = context.Request;
        var inputCodec = DagCodecs.Option(request, "input-codec", "dag-json");
        var storeCodec = DagCodecs.Option(request, "store-codec", "dag-cbor");
        var hashName = ApiOptions.Text(request, "hash") ?? "sha2-256";
        if (!IpldCodecs.TryGetHash(hashName, out var algorithm))
        {
            throw new ApiArgumentException($"unsupported hash \"{hashName}\"; one of: {string.Join(", ", IpldCodecs.HashNames)}");
        }
        var pin = ApiOptions.Boolean(request, false, "pin");
        var blockLimit = ApiOptions.Boolean(request, false, "allow-big-block") ? HardBlockLimit : SoftBlockLimit;
        // Text forms inflate bytes (base64) and escape strings; 4x the block limit is room enough (up to the hard limit).
        var inputLimit = Math.Min(blockLimit * 4, HardBlockLimit);
        var reader = ApiMultipart.Open(context, (long)MaxDagPutParts * (inputLimit + MultipartOverhead));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var parts = 0;
        while (await ApiMultipart.NextAsync(reader, cancel.Token).ConfigureAwait(false) is { } section)
        {
            if (++parts > MaxDagPutParts)
            {
                throw new ApiArgumentException($"at most {MaxDagPutParts} nodes per dag/put request");
            }
            var input = await ApiMultipart.ReadAllAsync(new MultipartBodyStream(section.Body), inputLimit,
                () => new ApiArgumentException($"input is over {inputLimit} bytes; pass allow-big-block to accept it"), cancel.Token).ConfigureAwait(false);
            byte[] block;
            try
            {
                block = IpldCodecs.Encode(storeCodec, IpldCodecs.Decode(inputCodec, input));
            }
            catch (OverlayException e)
            {
                // The codec's own message, as the offline dag put prints it.
                throw new ApiArgumentException(e.Message, e);
            }
            if (block.Length > blockLimit)
            {
                throw new ApiArgumentException($"produced block is {block.Length} bytes, over 1MiB: big blocks can't be exchanged with other peers; pass allow-big-block to override");
            }
            var cid = Cid.CreateV1(storeCodec, Multihash.Compute(block, algorithm));
            using (var operation = node.Repo.Blocks.BeginOperation())
            {
                await operation.Track(node.LocalBlocks).PutAsync(cid, block, cancel.Token).ConfigureAwait(false);
                if (pin)
                {
                    await node.Repo.Pins.AddAsync(cid, recursive: true, operation.Track(node.CreateNetworkBlocks()), cancel.Token).ConfigureAwait(false);
                }
            }
            if (!context.Response.HasStarted)
            {
                context.Response.ContentType = "application/json";
            }
            await WriteJsonLineAsync(context.Response.Body, new DagPutResponse(new RepoCidLink(cid.ToString())), RepoPinJsonContext.Default.DagPutResponse, cancel.Token).ConfigureAwait(false);
        }
        if (parts == 0)
        {
            throw new ApiArgumentException("argument \"object data\" is required: send it as a multipart file");
        }
    });

    /// <summary>
    /// <c>dag/get?arg=&lt;cid&gt;[/path]&amp;output-codec=dag-json</c>: the node the path reaches
    /// (map keys and list indexes, crossing links), encoded in the output codec. Blocks the repo
    /// lacks come over bitswap, read under a lease.
    /// </summary>
    private async Task<IResult> DagGetAsync(HttpContext context)
    {
        var (root, segments) = ApiPaths.Parse(ApiArguments.Required(context.Request, "ref"));
        var outputCodec = DagCodecs.Option(context.Request, "output-codec", "dag-json");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        using var operation = node.Repo.Blocks.BeginOperation();
        var store = operation.Track(node.CreateNetworkBlocks());
        IpldNode current;
        try
        {
            current = await IpldPath.ResolveAsync(store, root, segments, cancel.Token).ConfigureAwait(false);
        }
        catch (IpldPathException e)
        {
            throw new ApiArgumentException(e.Message, e);
        }
        byte[] encoded;
        try
        {
            encoded = IpldCodecs.Encode(outputCodec, current);
        }
        catch (OverlayException e)
        {
            throw new ApiArgumentException(e.Message, e);
        }
        return TypedResults.Bytes(encoded, "application/octet-stream");
    }
}
