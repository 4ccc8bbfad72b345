using System.CommandLine;
using System.Diagnostics;
using Overlay.Cli.Api;
using Overlay.Gateway.Admin;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay publish INPUT [--live [--wait]] [--title T] [--key NAME] [--priority live|near_live|vod]</c>:
/// the running daemon imports a video file (through ffmpeg) or an HLS folder/playlist as a
/// sealed stream signed by the key, pins it and announces it on the stream's topic. With
/// <c>--live</c> the input is live (a playlist another program is still writing, a file played
/// at its native rate, a URL, or <c>-</c> for stdin) and the daemon publishes each segment as it
/// closes; the command returns once the first head is announced, like <c>ffmpeg … &amp;</c>
/// handed to a service, unless <c>--wait</c> keeps it until the input ends (stdin always waits:
/// the command is what carries stdin to the daemon). Progress goes to stderr, the stream's
/// address (k51…) to stdout, the running daemon's gateway URL for it to stderr.
/// </summary>
internal static class PublishCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Argument<string>("input") { Description = "A video file, or an HLS folder or playlist (.m3u8); with --live also a URL, or - for stdin" };
        var title = new Option<string?>("--title") { Description = "Title signed into the stream (default: the input's name)" };
        var key = new Option<string>("--key") { Description = "Name of the stream key (overlay key gen); its name is the stream's address", DefaultValueFactory = _ => "self" };
        var priority = new Option<string?>("--priority") { Description = "Priority class of the bundles: live, near_live or vod (default: live with --live, else vod)" };
        var live = new Option<bool>("--live") { Description = "Publish a live input segment by segment as it is written (the daemon keeps going after the command exits)" };
        var wait = new Option<bool>("--wait") { Description = "With --live: stay until the input ends and the stream is sealed" };
        var command = new Command("publish", "Publish a video, HLS folder or live input as a signed stream (needs a running daemon)") { input, title, key, priority, live, wait };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var isLive = result.GetValue(live);
            var argument = result.GetRequiredValue(input);
            var fromStdin = isLive && InputSource.IsStdin(argument);
            var isUrl = Uri.TryCreate(argument, UriKind.Absolute, out var uri) && !uri.IsFile;
            var path = fromStdin ? InputSource.StdinName : isLive && isUrl ? argument : Path.GetFullPath(argument);
            var repoPath = context.ResolveRepoPath(result);
            using var client = ApiClient.Create(repoPath);
            var query = new List<KeyValuePair<string, string>>
            {
                KeyValuePair.Create("arg", path),
                KeyValuePair.Create("key", result.GetRequiredValue(key)),
            };
            if (result.GetValue(priority) is { } p)
            {
                query.Add(KeyValuePair.Create("priority", p));
            }
            if (result.GetValue(title) is { } t)
            {
                query.Add(KeyValuePair.Create("title", t));
            }
            if (isLive)
            {
                query.Add(KeyValuePair.Create("live", "true"));
                query.Add(KeyValuePair.Create("wait", result.GetValue(wait) ? "true" : "false"));
            }
            var lines = fromStdin ? SendStdinAsync(context, client, query, cancellationToken) : client.PostStreamAsync("stream/publish", query, StreamJsonContext.Default.StreamPublishLine, cancellationToken);
            var text = new StreamsText(context.Console);
            var clock = Stopwatch.StartNew();
            StreamPublishLine? done = null;
            var announced = false;
            await foreach (var line in lines.ConfigureAwait(false))
            {
                if (line.Address is null)
                {
                    var rate = StreamsText.Size((long)(line.Bytes / Math.Max(clock.Elapsed.TotalSeconds, 0.001)));
                    text.Progress($"{(isLive ? "published" : "imported")} {line.Bundles} segments, {StreamsText.Size(line.Bytes)}, {rate}/s");
                    continue;
                }
                done = line;
                if (isLive && !announced)
                {
                    // The address as soon as the stream exists, so a viewer can start while it grows.
                    announced = true;
                    text.EndProgress();
                    await AnnounceAsync(context, result, repoPath, line).ConfigureAwait(false);
                }
            }
            text.EndProgress();
            if (done is null)
            {
                throw new CliException("the daemon ended the publish without naming the stream");
            }
            if (isLive)
            {
                var state = done.Sealed ? "sealed" : "live, the daemon keeps publishing";
                await context.Console.Error.WriteLineAsync($"{done.Bundles} segments ({StreamsText.Size(done.Bytes)}) so far, head {done.Head} ({state})").ConfigureAwait(false);
                return;
            }
            await context.Console.Error.WriteLineAsync($"published {done.Bundles} segments ({StreamsText.Size(done.Bytes)}), head {done.Head}").ConfigureAwait(false);
            await AnnounceAsync(context, result, repoPath, done).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The address on stdout (or the line as JSON), the gateway URL on stderr.</summary>
    private static async Task AnnounceAsync(CliContext context, ParseResult result, string repoPath, StreamPublishLine line)
    {
        if (context.IsJson(result))
        {
            SwarmCommands.WriteJsonLine(context, line, StreamJsonContext.Default.StreamPublishLine);
            return;
        }
        await context.Console.Out.WriteLineAsync(line.Address).ConfigureAwait(false);
        await context.Console.Error.WriteLineAsync($"play: {GatewayUrl.Of(repoPath)}/play/{line.Address}").ConfigureAwait(false);
    }

    /// <summary>stdin goes to the daemon as the request body, read by ffmpeg there while the answer streams back.</summary>
    private static async IAsyncEnumerable<StreamPublishLine> SendStdinAsync(
        CliContext context, ApiClient client, List<KeyValuePair<string, string>> query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stdin = InputSource.Open(context.Console, InputSource.StdinName);
        using var content = new StreamContent(stdin, 1 << 16);
        using var response = await client.TrySendAsync("stream/publish", query, content, cancellationToken).ConfigureAwait(false)
            ?? throw new CliException(ApiClient.NoDaemonMessage);
        await foreach (var line in ApiClient.ReadLinesAsync(response, "stream/publish", StreamJsonContext.Default.StreamPublishLine, cancellationToken).ConfigureAwait(false))
        {
            yield return line;
        }
    }
}
