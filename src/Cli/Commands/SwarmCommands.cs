using System.CommandLine;
using System.Text.Json;
using Overlay.Cli.Api;
using Overlay.Gateway;

namespace Overlay.Cli.Commands;

/// <summary><c>overlay swarm connect|peers</c>: the daemon's connections, as kubo's <c>ipfs swarm</c> shows them.</summary>
internal static class SwarmCommands
{
    public static Command Create(CliContext context)
    {
        var swarm = new Command("swarm", "Connect to peers and list connections (needs a running daemon)");
        swarm.Add(Connect(context));
        swarm.Add(Peers(context));
        return swarm;
    }

    private static Command Connect(CliContext context)
    {
        var addresses = new Argument<string[]>("MULTIADDR")
        {
            Description = "Peer address, e.g. /ip4/1.2.3.4/tcp/7778/p2p/12D3KooW…",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("connect", "Open a connection to a peer") { addresses };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            using var client = ApiClient.Create(context.ResolveRepoPath(result));
            var answer = await client.PostAsync("swarm/connect", result.GetValue(addresses)!.Select(a => KeyValuePair.Create("arg", a)), ApiJsonContext.Default.SwarmConnectResponse, cancellationToken).ConfigureAwait(false);
            if (context.IsJson(result))
            {
                WriteJsonLine(context, answer, ApiJsonContext.Default.SwarmConnectResponse);
                return;
            }
            foreach (var line in answer.Strings)
            {
                await context.Console.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
        });
        return command;
    }

    private static Command Peers(CliContext context)
    {
        var command = new Command("peers", "List the peers with open connections, one address per line");
        context.SetAction(command, async (result, cancellationToken) =>
        {
            using var client = ApiClient.Create(context.ResolveRepoPath(result));
            var answer = await client.PostAsync("swarm/peers", [], ApiJsonContext.Default.SwarmPeersResponse, cancellationToken).ConfigureAwait(false);
            if (context.IsJson(result))
            {
                WriteJsonLine(context, answer, ApiJsonContext.Default.SwarmPeersResponse);
                return;
            }
            foreach (var peer in answer.Peers)
            {
                await context.Console.Out.WriteLineAsync($"{peer.Address}/p2p/{peer.Peer}").ConfigureAwait(false);
            }
        });
        return command;
    }

    /// <summary>The daemon's answer as one compact JSON line, the same shape the API sent.</summary>
    internal static void WriteJsonLine<T>(CliContext context, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        JsonSerializer.Serialize(context.Console.Output, value, type);
        context.Console.Out.Write('\n');
    }
}
