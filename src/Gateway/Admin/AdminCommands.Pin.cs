using Microsoft.AspNetCore.Http;
using Overlay.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Admin;

internal sealed partial class AdminCommands
{
    private static readonly string[] PinTypes = ["all", "recursive", "direct", "indirect"];

    /// <summary>
    /// <c>pin/add?arg=CID…&amp;recursive=true</c>: pins each CID, fetching missing blocks through
    /// <see cref="PinStore.FetchSource"/> (the network once the daemon sets it; local blocks only until then).
    /// </summary>
    private async Task<IResult> PinAddAsync(HttpContext context)
    {
        var cids = PinArguments(context.Request);
        var recursive = Flag(context.Request, "recursive", defaultValue: true);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        foreach (var cid in cids)
        {
            await node.Repo.Pins.AddAsync(cid, recursive, cancel.Token).ConfigureAwait(false);
        }
        return TypedResults.Json(new PinChangeResponse(cids.Select(c => c.ToString()).ToArray()), RepoPinJsonContext.Default.PinChangeResponse);
    }

    private async Task<IResult> PinRemoveAsync(HttpContext context)
    {
        var cids = PinArguments(context.Request);
        var recursive = Flag(context.Request, "recursive", defaultValue: true);
        foreach (var cid in cids)
        {
            await node.Repo.Pins.RemoveAsync(cid, recursive, context.RequestAborted).ConfigureAwait(false);
        }
        return TypedResults.Json(new PinChangeResponse(cids.Select(c => c.ToString()).ToArray()), RepoPinJsonContext.Default.PinChangeResponse);
    }

    /// <summary><c>pin/ls?type=all|recursive|direct|indirect[&amp;arg=CID…]</c>: with CIDs, only those (each must be pinned).</summary>
    private async Task<IResult> PinListAsync(HttpContext context)
    {
        var typeText = context.Request.Query["type"].LastOrDefault() ?? "all";
        if (!PinTypes.Contains(typeText))
        {
            throw new ApiArgumentException($"invalid type '{typeText}', must be one of {{{string.Join(", ", PinTypes)}}}");
        }
        PinType? type = typeText == "all" ? null : Enum.Parse<PinType>(typeText, ignoreCase: true);
        var wanted = ApiArguments.All(context.Request).Select(ParseCid).ToArray();
        var pins = await node.Repo.Pins.ListAsync(type, context.RequestAborted).ConfigureAwait(false);
        if (wanted.Length > 0)
        {
            var byHash = pins.GroupBy(p => p.Cid.Hash).ToDictionary(g => g.Key, g => g.First());
            pins = wanted.Select(c => byHash.TryGetValue(c.Hash, out var pin)
                    ? pin with { Cid = c }
                    : throw new PinException($"path '{c}' is not pinned"))
                .ToArray();
        }
        return TypedResults.Json(PinLsResponse.Of(pins), RepoPinJsonContext.Default.PinLsResponse);
    }

    private static Cid[] PinArguments(HttpRequest request)
    {
        var args = ApiArguments.All(request);
        return args.Count == 0 ? throw new ApiArgumentException("argument \"ipfs-path\" is required") : args.Select(ParseCid).ToArray();
    }

    /// <summary>A CID, or kubo's <c>/ipfs/CID</c> path form.</summary>
    private static Cid ParseCid(string text)
    {
        var bare = text.StartsWith("/ipfs/", StringComparison.Ordinal) ? text["/ipfs/".Length..] : text;
        return Cid.TryParse(bare, out var cid) ? cid! : throw new ApiArgumentException($"invalid path \"{text}\": not a CID");
    }

    private static bool Flag(HttpRequest request, string name, bool defaultValue)
    {
        var values = request.Query[name];
        return values.Count == 0 ? defaultValue
            : bool.TryParse(values[^1], out var value) ? value
            : throw new ApiArgumentException($"option \"{name}\" must be true or false, got \"{values[^1]}\"");
    }
}
