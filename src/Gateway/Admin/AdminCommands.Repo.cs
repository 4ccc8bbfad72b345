using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Overlay.Manifest.Errors;

namespace Overlay.Gateway.Admin;

internal sealed partial class AdminCommands
{
    /// <summary>The repo and pin commands: repo/stat, repo/gc, repo/verify, pin/add, pin/rm, pin/ls.</summary>
    private void MapRepoAndPins(IEndpointRouteBuilder routes)
    {
        Map(routes, "repo/stat", _ => TypedResults.Json(RepoStatResponse.Of(node.Repo), RepoPinJsonContext.Default.RepoStatResponse));
        Map(routes, "repo/gc", RepoGc);
        Map(routes, "repo/verify", RepoVerifyAsync);
        Map(routes, "pin/add", PinAddAsync);
        Map(routes, "pin/rm", PinRemoveAsync);
        Map(routes, "pin/ls", PinListAsync);
    }

    /// <summary>Streams one <c>{"Key":{"/":cid}}</c> line per removed block, as kubo does; a failure mid-way ends the stream with an <c>{"Error":…}</c> line.</summary>
    private IResult RepoGc(HttpContext context) =>
        TypedResults.Stream(async body =>
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            try
            {
                await foreach (var cid in node.Repo.Pins.CollectGarbageAsync(cancel.Token).ConfigureAwait(false))
                {
                    await WriteJsonLineAsync(body, new RepoGcLine { Key = new RepoCidLink(cid.ToString()) }, RepoPinJsonContext.Default.RepoGcLine, cancel.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is OverlayException or IOException)
            {
                await WriteJsonLineAsync(body, new RepoGcLine { Error = e.Message }, RepoPinJsonContext.Default.RepoGcLine, cancel.Token).ConfigureAwait(false);
            }
        }, "application/json");

    private async Task<IResult> RepoVerifyAsync(HttpContext context)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var report = await node.Repo.Blocks.VerifyAsync(cancel.Token).ConfigureAwait(false);
        return TypedResults.Json(new RepoVerifyResponse
        {
            Checked = report.Checked,
            Quarantined = report.Quarantined.Select(c => c.ToString()).ToArray(),
            Unverifiable = report.Unverifiable.Select(c => c.ToString()).ToArray(),
        }, RepoPinJsonContext.Default.RepoVerifyResponse);
    }
}
