using System.CommandLine;
using Overlay.Cli.Api;
using Overlay.Gateway.Admin;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay publish INPUT [--title T] [--key NAME] [--priority vod]</c>: the running daemon
/// imports a video file (through ffmpeg) or an HLS folder/playlist as a sealed VOD stream signed
/// by the key, pins it and announces it on the stream's topic; progress goes to stderr and the
/// stream's address (k51…) to stdout. The daemon keeps serving it after the command exits.
/// </summary>
internal static class PublishCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Argument<string>("input") { Description = "A video file, or an HLS folder or playlist (.m3u8)" };
        var title = new Option<string?>("--title") { Description = "Title signed into the stream (default: the input's name)" };
        var key = new Option<string>("--key") { Description = "Name of the stream key (overlay key gen); its name is the stream's address", DefaultValueFactory = _ => "self" };
        var priority = new Option<string>("--priority") { Description = "Priority class: vod (live import is not available yet)", DefaultValueFactory = _ => "vod" };
        var command = new Command("publish", "Publish a video or HLS folder as a signed VOD stream (needs a running daemon)") { input, title, key, priority };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var path = Path.GetFullPath(result.GetRequiredValue(input));
            using var client = ApiClient.Create(context.ResolveRepoPath(result));
            var query = new List<KeyValuePair<string, string>>
            {
                KeyValuePair.Create("arg", path),
                KeyValuePair.Create("key", result.GetRequiredValue(key)),
                KeyValuePair.Create("priority", result.GetRequiredValue(priority)),
            };
            if (result.GetValue(title) is { } t)
            {
                query.Add(KeyValuePair.Create("title", t));
            }
            var text = new StreamsText(context.Console);
            StreamPublishLine? done = null;
            await foreach (var line in client.PostStreamAsync("stream/publish", query, StreamJsonContext.Default.StreamPublishLine, cancellationToken).ConfigureAwait(false))
            {
                if (line.Address is null)
                {
                    text.Progress($"imported {line.Bundles} segments, {StreamsText.Size(line.Bytes)}");
                }
                else
                {
                    done = line;
                }
            }
            text.EndProgress();
            if (done is null)
            {
                throw new CliException("the daemon ended the publish without naming the stream");
            }
            if (context.IsJson(result))
            {
                SwarmCommands.WriteJsonLine(context, done, StreamJsonContext.Default.StreamPublishLine);
                return;
            }
            await context.Console.Error.WriteLineAsync($"published {done.Bundles} segments ({StreamsText.Size(done.Bytes)}), head {done.Head}").ConfigureAwait(false);
            await context.Console.Out.WriteLineAsync(done.Address).ConfigureAwait(false);
        });
        return command;
    }
}
