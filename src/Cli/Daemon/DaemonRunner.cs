using System.Net;
using System.Net.Sockets;
using Overlay.Addressing;
using Overlay.Cli.Commands;
using Overlay.Gateway;
using Overlay.Gateway.Admin;
using Overlay.Node;
using Overlay.Repo;

namespace Overlay.Cli.Daemon;

/// <summary>
/// Runs the daemon: holds the repo lock, starts the node, the admin API and the gateway, writes
/// the api and gateway files, says "Daemon is ready", and on a stop request takes it all down in reverse,
/// awaiting every part, and removes the api file.
/// </summary>
internal sealed class DaemonRunner(CliContext context)
{
    public const string ReadyLine = "Daemon is ready";

    public async Task RunAsync(OverlayRepo repo, IReadOnlyList<Multiaddr>? listen, IPEndPoint api, IPEndPoint gateway, GatewayOptions gatewayOptions, CancellationToken cancellationToken)
    {
        var output = context.Console.Out;
        using var repoLock = RepoLock.Acquire(repo.RootPath);
        // Whoever wrote an api file before us has no lock, so is gone: nobody answers there.
        ApiFile.Delete(repo.RootPath);
        ApiFile.Delete(repo.RootPath, ApiFile.GatewayFileName);
        using var stop = new ShutdownSignal(cancellationToken);
        using var log = new ErrorStreamLoggerFactory(context.Console.Error);

        await using var node = await StartNodeAsync(repo, listen, log, cancellationToken).ConfigureAwait(false);
        await using var admin = await StartAsync("admin API", api, () =>
            AdminApi.StartAsync(node, api, VersionCommand.Describe(), () => stop.Request("Shutdown requested through the API, shutting down..."), log, cancellationToken,
                new PublishImporter(node.LocalBlocks))).ConfigureAwait(false);
        await using var gatewayServer = await StartAsync("gateway", gateway, () => GatewayServer.StartAsync(node, gateway, gatewayOptions, log.CreateLogger("Overlay.Gateway"), cancellationToken)).ConfigureAwait(false);

        // Printed once everything listens, so a failed start is the one error line and nothing else.
        await output.WriteLineAsync($"overlay version: {CliContext.Version}").ConfigureAwait(false);
        await output.WriteLineAsync($"Repo: {repo.RootPath}").ConfigureAwait(false);
        await output.WriteLineAsync($"Peer ID: {node.PeerId}").ConfigureAwait(false);
        foreach (var address in node.Addresses)
        {
            await output.WriteLineAsync($"Swarm listening on {address}").ConfigureAwait(false);
        }
        await output.WriteLineAsync($"RPC API server listening on {admin.Address}").ConfigureAwait(false);
        await output.WriteLineAsync($"Gateway server listening on {gatewayServer.Address}").ConfigureAwait(false);
        ApiFile.Write(repo.RootPath, gatewayServer.Address, ApiFile.GatewayFileName);
        ApiFile.Write(repo.RootPath, admin.Address);
        try
        {
            await output.WriteLineAsync(ReadyLine).ConfigureAwait(false);
            var reason = await stop.Requested.ConfigureAwait(false);
            await output.WriteLineAsync(reason).ConfigureAwait(false);
        }
        finally
        {
            // First, so no CLI finds a daemon that is going away; the servers and node stop next
            // (in reverse order of start), then the lock is released.
            ApiFile.Delete(repo.RootPath);
            ApiFile.Delete(repo.RootPath, ApiFile.GatewayFileName);
        }
    }

    private static async Task<OverlayNode> StartNodeAsync(OverlayRepo repo, IReadOnlyList<Multiaddr>? listen, ErrorStreamLoggerFactory log, CancellationToken cancellationToken)
    {
        try
        {
            return await OverlayNode.StartAsync(repo, listen, CliContext.AgentVersion, log, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            var addresses = listen?.Select(a => a.ToString()) ?? repo.Config.Addresses.Swarm;
            throw new CliException($"cannot listen on {string.Join(", ", addresses)}: {e.Message}", e);
        }
    }

    private static async Task<T> StartAsync<T>(string what, IPEndPoint endpoint, Func<Task<T>> start)
    {
        try
        {
            return await start().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new CliException($"cannot start the {what} on {endpoint}: {e.Message}", e);
        }
    }
}
