using System.CommandLine;
using Overlay.Cli.Api;
using Overlay.Gateway.Admin;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay follow ADDRESS [--once]</c>: the running daemon follows the stream (and keeps
/// following after the command exits); the command reports progress on stderr until every
/// segment is verified and held, then prints a summary line. A live stream is reported as it
/// grows until its publisher seals it (or Ctrl-C), like <c>tail -f</c>; <c>--once</c> returns as
/// soon as every segment published so far is held.
/// </summary>
internal static class FollowCommand
{
    public static Command Create(CliContext context)
    {
        var address = new Argument<string>("address") { Description = "The stream's address (k51…)" };
        var once = new Option<bool>("--once") { Description = "Return as soon as every segment published so far is held, even while the stream is live" };
        var command = new Command("follow", "Follow a stream: fetch, verify and keep every segment, and pass them on; a live stream until it is sealed (needs a running daemon)") { address, once };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            using var client = ApiClient.Create(context.ResolveRepoPath(result));
            var text = new StreamsText(context.Console);
            var onlyOnce = result.GetValue(once);
            StreamEntry? last = null;
            var query = new[] { KeyValuePair.Create("arg", result.GetRequiredValue(address)), KeyValuePair.Create("once", onlyOnce ? "true" : "false") };
            await foreach (var entry in client.PostStreamAsync("stream/follow", query, StreamJsonContext.Default.StreamEntry, cancellationToken).ConfigureAwait(false))
            {
                last = entry;
                text.Progress(entry.Head is null
                    ? "waiting for the stream's head"
                    : $"{(entry.Live ? "live: " : "")}{entry.Held}/{entry.Total} segments verified, {StreamsText.Size(entry.Bytes)}");
            }
            text.EndProgress();
            if (last is not { Complete: true } || (last.Live && !onlyOnce))
            {
                throw new CliException("the daemon stopped reporting before the stream was complete");
            }
            if (context.IsJson(result))
            {
                SwarmCommands.WriteJsonLine(context, last, StreamJsonContext.Default.StreamEntry);
                return;
            }
            var state = last.Live ? "caught up (live)" : "complete";
            await context.Console.Out.WriteLineAsync($"{last.Address} {state}: {last.Total} segments, {StreamsText.Size(last.Bytes)}{(last.Title.Length > 0 ? $" \"{last.Title}\"" : "")}").ConfigureAwait(false);
        });
        return command;
    }
}
