using System.CommandLine;
using Overlay.Cli.Api;
using Overlay.Gateway.Admin;

namespace Overlay.Cli.Commands;

/// <summary><c>overlay streams</c>: the streams the daemon publishes or follows, one line each.</summary>
internal static class StreamsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("streams", "List known streams: address, title, sealed/live, segments held/total, bytes (needs a running daemon)");
        context.SetAction(command, async (result, cancellationToken) =>
        {
            using var client = ApiClient.Create(context.ResolveRepoPath(result));
            var answer = await client.PostAsync("stream/ls", [], StreamJsonContext.Default.StreamListResponse, cancellationToken).ConfigureAwait(false);
            if (context.IsJson(result))
            {
                SwarmCommands.WriteJsonLine(context, answer, StreamJsonContext.Default.StreamListResponse);
                return;
            }
            foreach (var s in answer.Streams)
            {
                var state = s.Head is null ? "waiting" : s.Sealed ? "sealed" : "live";
                var role = s.Publishing ? "publishing" : s.Own ? "published" : s.Carried ? "carried" : "followed";
                await context.Console.Out.WriteLineAsync($"{s.Address}\t{s.Title}\t{state}\t{role}\t{s.Held}/{s.Total}\t{s.Bytes}\t{s.Peers} peers").ConfigureAwait(false);
            }
        });
        return command;
    }
}
