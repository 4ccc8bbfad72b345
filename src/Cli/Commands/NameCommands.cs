using System.CommandLine;
using Overlay.Cli.Api;
using Overlay.Gateway.Admin;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay name resolve NAME</c> and <c>overlay name publish PATH [--key NAME]</c>, as kubo's
/// <c>ipfs name …</c>, through the daemon (records travel over pubsub, so a node must be running).
/// </summary>
internal static class NameCommands
{
    public static Command Create(CliContext context)
    {
        var name = new Command("name", "Resolve and publish IPNS names (a stream's address resolves to its newest head)");
        name.Add(Resolve(context));
        name.Add(Publish(context));
        return name;
    }

    private static Command Resolve(CliContext context)
    {
        var target = new Argument<string>("NAME") { Description = "The name: k51…, 12D3… or /ipns/…" };
        var command = new Command("resolve", "Print the path a name's newest valid record points at (needs a running daemon)") { target };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            using var client = ApiClient.Create(context.ResolveRepoPath(result));
            var answer = await client.PostAsync("name/resolve", [new("arg", result.GetValue(target)!)], NameJsonContext.Default.NameResolveResponse, cancellationToken).ConfigureAwait(false);
            if (context.IsJson(result))
            {
                SwarmCommands.WriteJsonLine(context, answer, NameJsonContext.Default.NameResolveResponse);
                return;
            }
            await context.Console.Out.WriteLineAsync(answer.Path).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Publish(CliContext context)
    {
        var path = new Argument<string>("PATH") { Description = "What the name points at: /ipfs/CID[/path] or a CID" };
        var key = new Option<string?>("--key") { Description = "The key whose name is published (default: self)", HelpName = "NAME" };
        var command = new Command("publish", "Sign a record for a key's name pointing at PATH and spread it (needs a running daemon)") { path, key };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            using var client = ApiClient.Create(context.ResolveRepoPath(result));
            List<KeyValuePair<string, string>> query = [new("arg", result.GetValue(path)!)];
            if (result.GetValue(key) is { } keyName)
            {
                query.Add(new("key", keyName));
            }
            var answer = await client.PostAsync("name/publish", query, NameJsonContext.Default.NamePublishResponse, cancellationToken).ConfigureAwait(false);
            if (context.IsJson(result))
            {
                SwarmCommands.WriteJsonLine(context, answer, NameJsonContext.Default.NamePublishResponse);
                return;
            }
            await context.Console.Out.WriteLineAsync($"Published to {answer.Name}: {answer.Value}").ConfigureAwait(false);
        });
        return command;
    }
}
