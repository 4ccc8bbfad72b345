using System.CommandLine;
using Overlay.Cli.Api;
using Overlay.Gateway.Admin;
using Overlay.Repo;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay repo stat|gc|verify</c>, as kubo's <c>ipfs repo …</c>. With a running daemon they go
/// through its admin API (the daemon owns the store); without one they open the repo directly.
/// </summary>
internal static class RepoCommands
{
    public static Command Create(CliContext context)
    {
        var repo = new Command("repo", "Inspect, garbage-collect and verify the block store");
        repo.Add(Stat(context));
        repo.Add(Gc(context));
        repo.Add(Verify(context));
        return repo;
    }

    private static Command Stat(CliContext context)
    {
        var command = new Command("stat", "Show the number of blocks, their size, the quota and the repo path");
        context.SetAction(command, async (result, cancellationToken) =>
        {
            using var client = ApiClient.TryCreate(context.ResolveRepoPath(result));
            var live = client is null ? null : await client.TryPostAsync("repo/stat", [], RepoPinJsonContext.Default.RepoStatResponse, cancellationToken).ConfigureAwait(false);
            var stat = live?.Value ?? RepoStatResponse.Of(context.OpenRepo(result));
            if (context.IsJson(result))
            {
                SwarmCommands.WriteJsonLine(context, stat, RepoPinJsonContext.Default.RepoStatResponse);
                return;
            }
            var output = context.Console.Out;
            await output.WriteLineAsync($"NumObjects: {stat.NumObjects}").ConfigureAwait(false);
            await output.WriteLineAsync($"RepoSize:   {stat.RepoSize}").ConfigureAwait(false);
            await output.WriteLineAsync($"StorageMax: {stat.StorageMax}").ConfigureAwait(false);
            await output.WriteLineAsync($"RepoPath:   {stat.RepoPath}").ConfigureAwait(false);
            await output.WriteLineAsync($"Version:    {stat.Version}").ConfigureAwait(false);
        });
        return command;
    }

    private static Command Gc(CliContext context)
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the removed CIDs" };
        var command = new Command("gc", "Remove every block that no pin reaches and no operation is using") { quiet };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var json = context.IsJson(result);
            var lines = await DaemonAsync(context, result, cancellationToken).ConfigureAwait(false) is { } client
                ? FromDaemonAsync(client, cancellationToken)
                : OfflineAsync(context.OpenRepo(result), cancellationToken);
            await foreach (var line in lines.ConfigureAwait(false))
            {
                if (line.Error is { } error)
                {
                    throw new CliException(error);
                }
                if (json)
                {
                    SwarmCommands.WriteJsonLine(context, line, RepoPinJsonContext.Default.RepoGcLine);
                }
                else
                {
                    await context.Console.Out.WriteLineAsync(result.GetValue(quiet) ? line.Key!.Cid : $"removed {line.Key!.Cid}").ConfigureAwait(false);
                }
            }
        });
        return command;

        static async IAsyncEnumerable<RepoGcLine> FromDaemonAsync(ApiClient client, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using (client)
            {
                await foreach (var line in client.PostStreamAsync("repo/gc", [], RepoPinJsonContext.Default.RepoGcLine, cancellationToken).ConfigureAwait(false))
                {
                    yield return line;
                }
            }
        }

        static async IAsyncEnumerable<RepoGcLine> OfflineAsync(OverlayRepo repo, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var cid in repo.Pins.CollectGarbageAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return new RepoGcLine { Key = new RepoCidLink(cid.ToString()) };
            }
        }
    }

    private static Command Verify(CliContext context)
    {
        var command = new Command("verify", "Re-hash every block; move corrupt ones to the quarantine folder (exit 1 when any)");
        context.SetAction(command, async (result, cancellationToken) =>
        {
            RepoVerifyResponse report;
            using (var client = await DaemonAsync(context, result, cancellationToken).ConfigureAwait(false))
            {
                if (client is not null)
                {
                    report = await client.PostAsync("repo/verify", [], RepoPinJsonContext.Default.RepoVerifyResponse, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var local = await context.OpenRepo(result).Blocks.VerifyAsync(cancellationToken).ConfigureAwait(false);
                    report = new RepoVerifyResponse
                    {
                        Checked = local.Checked,
                        Quarantined = local.Quarantined.Select(c => c.ToString()).ToArray(),
                        Unverifiable = local.Unverifiable.Select(c => c.ToString()).ToArray(),
                    };
                }
            }
            if (context.IsJson(result))
            {
                SwarmCommands.WriteJsonLine(context, report, RepoPinJsonContext.Default.RepoVerifyResponse);
            }
            else
            {
                foreach (var cid in report.Quarantined)
                {
                    await context.Console.Out.WriteLineAsync($"corrupt {cid} (quarantined)").ConfigureAwait(false);
                }
                foreach (var cid in report.Unverifiable)
                {
                    await context.Console.Out.WriteLineAsync($"unverifiable {cid} (unknown hash function)").ConfigureAwait(false);
                }
                await context.Console.Out.WriteLineAsync($"verified {report.Checked} blocks: {report.Quarantined.Count} corrupt").ConfigureAwait(false);
            }
            if (report.Quarantined.Count + report.Unverifiable.Count > 0)
            {
                throw new CliException($"repo verify: {report.Quarantined.Count} corrupt and {report.Unverifiable.Count} unverifiable blocks");
            }
        });
        return command;
    }

    /// <summary>A client for a daemon that answers, or null (no api file, or a daemon that died): then the repo is opened directly.</summary>
    internal static async Task<ApiClient?> DaemonAsync(CliContext context, ParseResult result, CancellationToken cancellationToken)
    {
        var client = ApiClient.TryCreate(context.ResolveRepoPath(result));
        if (client is null)
        {
            return null;
        }
        if (await client.TryPostAsync("repo/stat", [], RepoPinJsonContext.Default.RepoStatResponse, cancellationToken).ConfigureAwait(false) is null)
        {
            client.Dispose();
            return null;
        }
        return client;
    }
}
