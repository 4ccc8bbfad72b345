// Shape: kubo's RPC, https://docs.ipfs.tech/reference/kubo/rpc/#api-v0-name-resolve (and #api-v0-name-publish)
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Repo;

namespace Overlay.Gateway.Admin;

internal sealed partial class AdminCommands
{
    /// <summary>How long <c>name/resolve</c> listens on the name's topic for a record it has never seen.</summary>
    private static readonly TimeSpan NameResolveWait = TimeSpan.FromSeconds(10);

    private void MapNames(IEndpointRouteBuilder routes)
    {
        Map(routes, "name/resolve", NameResolveAsync);
        Map(routes, "name/publish", NamePublish);
    }

    /// <summary><c>name/resolve?arg=&lt;name&gt;</c> (<c>k51…</c>, <c>12D3…</c>, or either after <c>/ipns/</c>): the path its best valid record points at.</summary>
    private async Task<IResult> NameResolveAsync(HttpContext context)
    {
        var text = ApiArguments.Required(context.Request, "name");
        var bare = text.StartsWith("/ipns/", StringComparison.Ordinal) ? text["/ipns/".Length..] : text;
        if (!PeerId.TryParse(bare, out var name) || name is null)
        {
            throw new ApiArgumentException($"\"{text}\" is not an IPNS name (k51… or 12D3…); DNSLink is not resolved");
        }
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var record = await node.Names.ResolveAsync(name, NameResolveWait, cancel.Token).ConfigureAwait(false);
        if (record is null)
        {
            return ApiResults.Error(StatusCodes.Status500InternalServerError, $"could not resolve name: no valid record for {name.ToBase36Name()} arrived within {NameResolveWait.TotalSeconds:0} s");
        }
        return TypedResults.Json(new NameResolveResponse(record.Value), NameJsonContext.Default.NameResolveResponse);
    }

    /// <summary><c>name/publish?arg=&lt;/ipfs/path or CID&gt;[&amp;key=self]</c>: signs a record (sequence one past the last) and spreads it on the name's topic.</summary>
    private IResult NamePublish(HttpContext context)
    {
        var target = ApiArguments.Required(context.Request, "ipfs-path");
        var value = target.StartsWith("/ipfs/", StringComparison.Ordinal) ? target : "/ipfs/" + target;
        var root = value["/ipfs/".Length..].Split('/')[0];
        if (!Cid.TryParse(root, out _))
        {
            throw new ApiArgumentException($"\"{target}\" is not an /ipfs/ path or a CID");
        }
        var keyName = Query(context, "key") ?? Keystore.SelfName;
        var key = new Keystore(node.Repo).Get(keyName) ?? throw new ApiArgumentException($"no key named \"{keyName}\" (overlay key gen {keyName})");
        var record = node.Names.Publish(key, value);
        return TypedResults.Json(new NamePublishResponse(key.PeerId.ToBase36Name(), record.Value), NameJsonContext.Default.NamePublishResponse);
    }
}
