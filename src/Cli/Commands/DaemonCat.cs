using System.Globalization;
using Overlay.Cli.Api;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay cat</c> through the running daemon: <c>/api/v0/cat</c> streams the bytes (fetching
/// what the repo lacks over bitswap) and they are copied to stdout as they come. A stream the
/// daemon cut short ends in an error, never in a silently short file.
/// </summary>
internal static class DaemonCat
{
    /// <summary>Prints through the daemon; false (nothing done) when no daemon runs.</summary>
    public static async Task<bool> TryRunAsync(CliContext context, string repoPath, IReadOnlyList<string> paths, long offset, long? length, CancellationToken cancellationToken)
    {
        using var client = ApiClient.TryCreate(repoPath);
        if (client is null)
        {
            return false;
        }
        var query = paths.Select(p => KeyValuePair.Create("arg", p)).ToList();
        if (offset > 0)
        {
            query.Add(KeyValuePair.Create("offset", offset.ToString(CultureInfo.InvariantCulture)));
        }
        if (length is { } l)
        {
            query.Add(KeyValuePair.Create("length", l.ToString(CultureInfo.InvariantCulture)));
        }
        using var response = await client.TrySendAsync("cat", query, null, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return false;
        }
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await body.CopyToAsync(context.Console.Output, 1 << 16, cancellationToken).ConfigureAwait(false);
        }
        await context.Console.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }
}
