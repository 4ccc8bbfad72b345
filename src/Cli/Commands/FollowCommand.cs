using System.CommandLine;
using Overlay.Cli.Api;
using Overlay.Gateway.Admin;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay follow ADDRESS</c>: the running daemon follows the stream (and keeps following
/// after the command exits); the command reports progress on stderr until every segment is
/// verified and held, then prints a summary line.
/// </summary>
internal static class FollowCommand
{
    public static Command Create(CliContext context)
    {
        var address = new Argument<string>("address") { Description = "The stream's address (k51…)" };
        var command = new Command("follow", "Follow a stream: fetch, verify and keep every segment, and pass them on (needs a running daemon)") { address };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            using var client = ApiClient.Create(context.ResolveRepoPath(result));
            var text = new StreamsText(context.Console);
            StreamEntry? last = null;
            await foreach (var entry in client.PostStreamAsync("stream/follow", [KeyValuePair.Create("arg", result.GetRequiredValue(address))], StreamJsonContext.Default.StreamEntry, cancellationToken).ConfigureAwait(false))
            {
                last = entry;
                text.Progress(entry.Head is null
                    ? "waiting for the stream's head"
                    : $"{entry.Held}/{entry.Total} segments verified, {StreamsText.Size(entry.Bytes)}");
            }
            text.EndProgress();
            if (last is not { Complete: true })
            {
                throw new CliException("the daemon stopped reporting before the stream was complete");
            }
            if (context.IsJson(result))
            {
                SwarmCommands.WriteJsonLine(context, last, StreamJsonContext.Default.StreamEntry);
                return;
            }
            await context.Console.Out.WriteLineAsync($"{last.Address} complete: {last.Total} segments, {StreamsText.Size(last.Bytes)}{(last.Title.Length > 0 ? $" \"{last.Title}\"" : "")}").ConfigureAwait(false);
        });
        return command;
    }
}
