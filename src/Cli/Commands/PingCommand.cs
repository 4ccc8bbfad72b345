using System.CommandLine;
using System.Globalization;
using Overlay.Cli.Api;
using Overlay.Gateway;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay ping PEER|MULTIADDR [-n N]</c>: pings through the daemon and prints kubo's lines
/// ("PING …", "Pong received: time=0.42 ms", "Average latency: 0.42ms") as they arrive. Fails
/// when no ping was answered.
/// </summary>
internal static class PingCommand
{
    public static Command Create(CliContext context)
    {
        var target = new Argument<string>("PEER")
        {
            Description = "Peer ID, or a multiaddr to dial first (…/p2p/12D3KooW…)",
        };
        var count = new Option<int>("--count", "-n")
        {
            Description = "Number of pings",
            HelpName = "N",
            DefaultValueFactory = _ => 10,
        };
        count.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--count must be at least 1");
            }
        });
        var command = new Command("ping", "Measure round trips to a peer (needs a running daemon)") { target, count };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            using var client = ApiClient.Create(context.ResolveRepoPath(result));
            var json = context.IsJson(result);
            var requested = result.GetValue(count);
            var query = new[]
            {
                KeyValuePair.Create("arg", result.GetValue(target)!),
                KeyValuePair.Create("count", requested.ToString(CultureInfo.InvariantCulture)),
            };
            var pongs = 0;
            var lines = 0;
            // A failure line is printed once another line follows it; the last one, with no pong
            // at all, is the command's error instead.
            string? pendingFailure = null;
            await foreach (var reply in client.PostStreamAsync("ping", query, ApiJsonContext.Default.PingReply, cancellationToken).ConfigureAwait(false))
            {
                lines++;
                if (json)
                {
                    SwarmCommands.WriteJsonLine(context, reply, ApiJsonContext.Default.PingReply);
                }
                else if (pendingFailure is not null)
                {
                    await context.Console.Out.WriteLineAsync(pendingFailure).ConfigureAwait(false);
                }
                pendingFailure = null;
                if (reply.Success && reply.Time > 0)
                {
                    pongs++;
                    if (!json)
                    {
                        var milliseconds = (reply.Time / 1e6).ToString("0.00", CultureInfo.InvariantCulture);
                        await context.Console.Out.WriteLineAsync($"Pong received: time={milliseconds} ms").ConfigureAwait(false);
                    }
                }
                else if (!reply.Success)
                {
                    pendingFailure = reply.Text;
                }
                else if (!json)
                {
                    await context.Console.Out.WriteLineAsync(reply.Text).ConfigureAwait(false);
                }
            }
            // A header, one line per ping and a summary: fewer means the daemon stopped mid-way.
            if (lines < requested + 2)
            {
                throw new CliException($"the daemon stopped answering after {Math.Max(0, lines - 1)} of {requested} pings");
            }
            if (pongs == 0)
            {
                throw new CliException(pendingFailure ?? "ping failed: the daemon ended its answer early");
            }
            if (pendingFailure is not null && !json)
            {
                await context.Console.Out.WriteLineAsync(pendingFailure).ConfigureAwait(false);
            }
        });
        return command;
    }
}
