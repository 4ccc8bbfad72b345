using System.CommandLine;
using Overlay.Cli.Api;

namespace Overlay.Cli.Commands;

/// <summary><c>overlay shutdown</c>: asks the running daemon to stop cleanly (kubo's <c>ipfs shutdown</c>).</summary>
internal static class ShutdownCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("shutdown", "Stop the running daemon");
        context.SetAction(command, async (result, cancellationToken) =>
        {
            using var client = ApiClient.Create(context.ResolveRepoPath(result));
            await client.PostAsync("shutdown", cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
