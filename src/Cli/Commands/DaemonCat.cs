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
    public static Task<bool> TryRunAsync(CliContext context, string repoPath, IReadOnlyList<string> paths, long offset, long? length, CancellationToken cancellationToken)
    {
        var query = paths.Select(p => KeyValuePair.Create("arg", p)).ToList();
        if (offset > 0)
        {
            query.Add(KeyValuePair.Create("offset", offset.ToString(CultureInfo.InvariantCulture)));
        }
        if (length is { } l)
        {
            query.Add(KeyValuePair.Create("length", l.ToString(CultureInfo.InvariantCulture)));
        }
        return ApiClient.TryCopyAsync(repoPath, "cat", query, context.Console.Output,
            "the daemon cut the file short (a block is missing or bad): the output is incomplete", cancellationToken);
    }
}
