using System.CommandLine;
using System.Net;
using Overlay.Addressing;
using Overlay.Cli.Daemon;
using Overlay.Gateway;
using Overlay.Manifest.Errors;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay daemon</c>: runs the node until SIGINT/SIGTERM (or <c>overlay shutdown</c>), with
/// the admin API for the other commands and the gateway. Addresses default to the repo config
/// (libp2p /ip4/0.0.0.0/tcp/7778, API 127.0.0.1:7779, gateway 127.0.0.1:7777).
/// </summary>
internal static class DaemonCommand
{
    public const string Name = "daemon";

    /// <summary>A player gives up long before this; a longer wait only holds connections open.</summary>
    private const int MaxGatewayTimeoutSeconds = 600;

    public static Command Create(CliContext context)
    {
        var listen = new Option<string[]>("--listen")
        {
            Description = "libp2p listen multiaddr, repeatable (default: the config's Addresses.Swarm)",
            HelpName = "MULTIADDR",
            AllowMultipleArgumentsPerToken = false,
        };
        var api = new Option<string?>("--api")
        {
            Description = "Admin API address, loopback only (default: the config's Addresses.API, 127.0.0.1:7779)",
            HelpName = "HOST:PORT",
        };
        var gateway = new Option<string?>("--gateway")
        {
            Description = "Gateway address (default: the config's Addresses.Gateway, 127.0.0.1:7777)",
            HelpName = "HOST:PORT",
        };
        var gatewayTimeout = new Option<int?>("--gateway-timeout")
        {
            Description = "Seconds the gateway waits for content (a stream's head, a file's first block) before answering 504, and for one block once a response is under way before resetting it; default: the config's Gateway.FetchTimeoutSeconds and Gateway.BlockTimeoutSeconds, 20 each",
            HelpName = "SECONDS",
        };
        var command = new Command(Name, "Run the node: libp2p, the admin API for the other commands, and the gateway") { listen, api, gateway, gatewayTimeout };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var repo = context.OpenRepo(result);
            var listenAddresses = result.GetValue(listen) is { Length: > 0 } given ? given.Select(ParseListen).ToArray() : null;
            var apiEndpoint = EndpointArgument.Parse(result.GetValue(api) ?? repo.Config.Addresses.Api, "--api");
            if (!IPAddress.IsLoopback(apiEndpoint.Address))
            {
                throw new CliException($"--api {apiEndpoint}: the admin API listens on a loopback address only (127.0.0.1 or ::1), since it controls the node");
            }
            var gatewayEndpoint = EndpointArgument.Parse(result.GetValue(gateway) ?? repo.Config.Addresses.Gateway, "--gateway");
            var configured = GatewayOptions.From(repo.Config.Gateway);
            var gatewayOptions = result.GetValue(gatewayTimeout) switch
            {
                null => configured,
                >= 1 and <= MaxGatewayTimeoutSeconds and var seconds => configured with { FetchTimeout = TimeSpan.FromSeconds(seconds), BlockTimeout = TimeSpan.FromSeconds(seconds) },
                var other => throw new CliException($"--gateway-timeout {other}: expected 1 to {MaxGatewayTimeoutSeconds} seconds"),
            };
            await new DaemonRunner(context).RunAsync(repo, listenAddresses, apiEndpoint, gatewayEndpoint, gatewayOptions, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Multiaddr ParseListen(string text)
    {
        Multiaddr address;
        try
        {
            address = Multiaddr.Parse(text);
        }
        catch (MalformedDataException e)
        {
            throw new CliException($"--listen \"{text}\" is not a valid multiaddr: {e.Message}", e);
        }
        return address.ToTcpEndPoint() is not null && address.PeerIdBytes is null
            ? address
            : throw new CliException($"--listen \"{text}\": expected /ip4/ADDRESS/tcp/PORT or /ip6/ADDRESS/tcp/PORT");
    }
}
