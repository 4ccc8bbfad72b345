using Overlay.Cli.Api;
using Overlay.Gateway.Admin;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay block rm</c> through the running daemon (<c>/api/v0/block/rm</c>), so the blocks
/// leave the daemon's store through its index and its byte total and LRU stay right. Null
/// (nothing done) when no daemon runs.
/// </summary>
internal static class DaemonBlockRemove
{
    /// <summary>One <c>{"Hash","Error"}</c> line per CID, in order; null when no daemon runs.</summary>
    public static async Task<IReadOnlyList<BlockRmLine>?> TryRunAsync(string repoPath, IEnumerable<string> cids, bool force, CancellationToken cancellationToken)
    {
        using var client = ApiClient.TryCreate(repoPath);
        if (client is null)
        {
            return null;
        }
        // Not "quiet": the printing here needs every line to print what the offline rm prints.
        var query = cids.Select(c => KeyValuePair.Create("arg", c)).Append(KeyValuePair.Create("force", force ? "true" : "false"));
        using var response = await client.TrySendAsync("block/rm", query, null, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return null;
        }
        var lines = new List<BlockRmLine>();
        await foreach (var line in ApiClient.ReadLinesAsync(response, "block/rm", RepoPinJsonContext.Default.BlockRmLine, cancellationToken).ConfigureAwait(false))
        {
            lines.Add(line);
        }
        return lines;
    }
}
