// Spec: https://specs.ipfs.tech/http-gateways/path-gateway/ , https://specs.ipfs.tech/http-gateways/trustless-gateway/
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Overlay.Gateway.Metrics;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;
using Overlay.Node;

namespace Overlay.Gateway.Ipfs;

/// <summary>
/// <c>GET|HEAD /ipfs/&lt;cid&gt;[/path]</c> and <c>/ipns/&lt;name&gt;[/path]</c>: the path is
/// checked (<see cref="ContentPath"/>), the root resolved (an IPNS name through the node's name
/// service), the path walked through UnixFS, then answered in the format asked for: trustless
/// raw or CAR, or deserialized (UnixFS file or directory, or a dag-cbor/dag-json block as is).
/// </summary>
internal sealed class IpfsRoutes(OverlayNode node, GatewayOptions options, GatewayMetrics metrics)
{
    private readonly UnixFsResponder _unixFs = new(metrics, options.ReadAhead);
    private readonly TrustlessResponder _trustless = new(metrics);

    public static void Map(IEndpointRouteBuilder routes, OverlayNode node, GatewayOptions options, GatewayMetrics metrics)
    {
        var handler = new IpfsRoutes(node, options, metrics);
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        routes.MapMethods("/ipfs/{**path}", methods, (RequestDelegate)(context => handler.HandleAsync(context, "ipfs")));
        routes.MapMethods("/ipns/{**path}", methods, (RequestDelegate)(context => handler.HandleAsync(context, "ipns")));
    }

    private Task HandleAsync(HttpContext context, string route) =>
        BoundedFetch.RunAsync(context, node, options, metrics, route, async (store, cancellationToken) =>
        {
            var path = ContentPath.Parse(ContentPath.RawPathOf(context));
            var format = ResponseFormats.Of(context.Request);
            var request = path.Namespace == "ipfs"
                ? new ContentRequest(path, ParseCid(path.Root), format, ContentHeaders.Immutable)
                : await ResolveNameAsync(path, format, cancellationToken).ConfigureAwait(false);
            var recorder = format == ResponseFormat.Car ? new RecordingBlockStore(store) : null;
            await WalkAsync(request, (IBlockStore?)recorder ?? store, cancellationToken).ConfigureAwait(false);
            switch (format)
            {
                case ResponseFormat.Raw:
                    await _trustless.WriteRawAsync(context, request, store, cancellationToken).ConfigureAwait(false);
                    break;
                case ResponseFormat.Car:
                    await _trustless.WriteCarAsync(context, request, recorder!, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await WriteDeserializedAsync(context, request, store, cancellationToken).ConfigureAwait(false);
                    break;
            }
        });

    /// <summary>Resolves the path's segments below the root one directory at a time, recording each step's CID.</summary>
    private static async Task WalkAsync(ContentRequest request, IBlockStore store, CancellationToken cancellationToken)
    {
        if (request.Segments.Count == 0)
        {
            return;
        }
        if (request.Root.Codec != Multicodec.DagPb)
        {
            throw request.Root.Codec == Multicodec.Raw
                ? new UnixFsPathNotFoundException(request.Path.Display, "a raw block has no paths below it")
                : new GatewayRequestException(StatusCodes.Status501NotImplemented, $"paths inside {Multicodec.NameOf(request.Root.Codec)} blocks are not resolved by this gateway");
        }
        var reader = new UnixFsReader(store, new UnixFsReaderOptions { Prefetch = 0 });
        foreach (var segment in request.Segments)
        {
            request.Roots.Add(await reader.ResolveAsync(request.Terminal, segment, cancellationToken).ConfigureAwait(false));
        }
    }

    private async Task WriteDeserializedAsync(HttpContext context, ContentRequest request, IBlockStore store, CancellationToken cancellationToken)
    {
        var cid = request.Terminal;
        switch (cid.Codec)
        {
            case Multicodec.DagPb or Multicodec.Raw when request.Format == ResponseFormat.Default:
                await _unixFs.WriteAsync(context, request, store, cancellationToken).ConfigureAwait(false);
                break;
            case Multicodec.DagCbor or Multicodec.DagJson:
                var wanted = cid.Codec == Multicodec.DagCbor ? ResponseFormat.DagCbor : ResponseFormat.DagJson;
                if (request.Format is not ResponseFormat.Default && request.Format != wanted)
                {
                    throw new GatewayRequestException(StatusCodes.Status406NotAcceptable, $"{cid} is {Multicodec.NameOf(cid.Codec)}; conversion to another codec is not offered");
                }
                await WriteCodecBlockAsync(context, request, store, wanted, cancellationToken).ConfigureAwait(false);
                break;
            case Multicodec.DagPb or Multicodec.Raw:
                throw new GatewayRequestException(StatusCodes.Status406NotAcceptable, $"{cid} is {Multicodec.NameOf(cid.Codec)}: ask for format=raw or car");
            default:
                throw new GatewayRequestException(StatusCodes.Status501NotImplemented, $"{Multicodec.NameOf(cid.Codec)} content is not deserialized by this gateway: ask for format=raw or car");
        }
    }

    /// <summary>A dag-cbor or dag-json block, verified, sent as it is stored (its bytes are its canonical form).</summary>
    private async Task WriteCodecBlockAsync(HttpContext context, ContentRequest request, IBlockStore store, ResponseFormat codec, CancellationToken cancellationToken)
    {
        var cid = request.Terminal;
        var block = await VerifiedBlock.GetAsync(store, cid, cancellationToken).ConfigureAwait(false);
        var suffix = codec == ResponseFormat.DagCbor ? "dag-cbor" : "dag-json";
        if (ContentHeaders.SetAndCheckNotModified(context, request, $"\"{cid}.{suffix}\""))
        {
            return;
        }
        context.Response.ContentType = codec == ResponseFormat.DagCbor ? ResponseFormats.DagCborType : ResponseFormats.DagJsonType;
        context.Response.Headers.Vary = "Accept";
        context.Response.ContentLength = block.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(block, context.RequestAborted).ConfigureAwait(false);
            metrics.BytesServed.Add(block.Length);
        }
    }

    /// <summary>
    /// An IPNS name (<c>k51…</c> or <c>12D3…</c>) to the content its best record points at,
    /// cached for the record's TTL instead of a year. 400 for a malformed name, 404 when no
    /// record arrived within <see cref="GatewayOptions.NameResolveTimeout"/>.
    /// </summary>
    private async Task<ContentRequest> ResolveNameAsync(ContentPath path, ResponseFormat format, CancellationToken cancellationToken)
    {
        if (!PeerId.TryParse(path.Root, out var name) || name is null)
        {
            throw new GatewayRequestException(StatusCodes.Status400BadRequest, $"\"{path.Root}\" is not an IPNS name (a k51… or 12D3… key); DNSLink names are not resolved");
        }
        var record = await node.Names.ResolveAsync(name, options.NameResolveTimeout, cancellationToken).ConfigureAwait(false)
            ?? throw new GatewayRequestException(StatusCodes.Status404NotFound, $"no valid IPNS record for {name.ToBase36Name()} arrived within {options.NameResolveTimeout.TotalSeconds:0.###} s");
        var (cid, inner) = ParseValue(record.Value);
        var ttl = (long)Math.Max(0, Math.Min(record.Ttl.TotalSeconds, (record.Validity - DateTimeOffset.UtcNow).TotalSeconds));
        return new ContentRequest(path, cid, format, $"public, max-age={ttl}") { Segments = [.. inner, .. path.Segments] };
    }

    /// <summary>A record's value <c>/ipfs/&lt;cid&gt;[/path]</c>; anything else is an upstream error (502).</summary>
    private static (Cid Cid, IReadOnlyList<string> Segments) ParseValue(string value)
    {
        try
        {
            var parsed = ContentPath.Parse(value);
            if (parsed.Namespace == "ipfs")
            {
                return (ParseCid(parsed.Root), parsed.Segments);
            }
        }
        catch (GatewayRequestException)
        {
        }
        throw new GatewayRequestException(StatusCodes.Status502BadGateway, $"the IPNS record's value \"{value}\" is not an /ipfs/ path");
    }

    private static Cid ParseCid(string text)
    {
        try
        {
            return Cid.Parse(text);
        }
        catch (Exception e) when (e is OverlayException or ArgumentException or FormatException or NotSupportedException)
        {
            throw new GatewayRequestException(StatusCodes.Status400BadRequest, $"\"{text}\" is not a valid CID: {e.Message}");
        }
    }
}
