using System.CommandLine;
using Overlay.Blocks;
using Overlay.Cli.Api;
using Overlay.Gateway.Admin;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay pin add|rm|ls</c>, as kubo's <c>ipfs pin …</c>: through the daemon's admin API when
/// one runs (it fetches missing blocks), else on the repo directly (local blocks only).
/// </summary>
internal static class PinCommands
{
    private static readonly string[] Types = ["all", "recursive", "direct", "indirect"];

    public static Command Create(CliContext context)
    {
        var pin = new Command("pin", "Keep blocks and DAGs from garbage collection and eviction");
        pin.Add(Add(context));
        pin.Add(Remove(context));
        pin.Add(List(context));
        return pin;
    }

    private static Argument<string[]> CidsArgument() => new("CID")
    {
        Description = "CIDs (or /ipfs/CID paths) to pin or unpin",
        Arity = ArgumentArity.OneOrMore,
    };

    private static Option<bool> RecursiveOption(string description) => new("--recursive", "-r")
    {
        Description = description,
        DefaultValueFactory = _ => true,
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static Command Add(CliContext context)
    {
        var cids = CidsArgument();
        var recursive = RecursiveOption("Pin the whole DAG (default); --recursive=false pins only the block");
        var command = new Command("add", "Pin CIDs, fetching what is missing when the daemon runs") { cids, recursive };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var targets = Parse(result.GetValue(cids)!);
            var isRecursive = result.GetValue(recursive);
            using (var client = await RepoCommands.DaemonAsync(context, result, cancellationToken).ConfigureAwait(false))
            {
                if (client is not null)
                {
                    await client.PostAsync("pin/add", Query(targets, isRecursive), RepoPinJsonContext.Default.PinChangeResponse, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var repo = context.OpenRepo(result);
                    foreach (var cid in targets)
                    {
                        await repo.Pins.AddAsync(cid, isRecursive, repo.Blocks, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            Print(context, result, targets, $"pinned {{0}} {(isRecursive ? "recursively" : "directly")}");
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var cids = CidsArgument();
        var recursive = RecursiveOption("Remove a recursive pin (default); --recursive=false removes only direct pins");
        var command = new Command("rm", "Remove pins") { cids, recursive };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var targets = Parse(result.GetValue(cids)!);
            var isRecursive = result.GetValue(recursive);
            using (var client = await RepoCommands.DaemonAsync(context, result, cancellationToken).ConfigureAwait(false))
            {
                if (client is not null)
                {
                    await client.PostAsync("pin/rm", Query(targets, isRecursive), RepoPinJsonContext.Default.PinChangeResponse, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var repo = context.OpenRepo(result);
                    foreach (var cid in targets)
                    {
                        await repo.Pins.RemoveAsync(cid, isRecursive, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            Print(context, result, targets, "unpinned {0}");
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var type = new Option<string>("--type", "-t") { Description = "Which pins: all, recursive, direct or indirect", DefaultValueFactory = _ => "all" };
        type.AcceptOnlyFromAmong(Types);
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the CIDs" };
        var command = new Command("ls", "List pins with their type") { type, quiet };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var typeName = result.GetRequiredValue(type);
            PinLsResponse listing;
            using (var client = await RepoCommands.DaemonAsync(context, result, cancellationToken).ConfigureAwait(false))
            {
                if (client is not null)
                {
                    listing = await client.PostAsync("pin/ls", [KeyValuePair.Create("type", typeName)], RepoPinJsonContext.Default.PinLsResponse, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    PinType? filter = typeName == "all" ? null : Enum.Parse<PinType>(typeName, ignoreCase: true);
                    listing = PinLsResponse.Of(await context.OpenRepo(result).Pins.ListAsync(filter, cancellationToken).ConfigureAwait(false));
                }
            }
            if (context.IsJson(result))
            {
                SwarmCommands.WriteJsonLine(context, listing, RepoPinJsonContext.Default.PinLsResponse);
                return;
            }
            foreach (var (cid, entry) in listing.Keys)
            {
                await context.Console.Out.WriteLineAsync(result.GetValue(quiet) ? cid : $"{cid} {entry.Type}").ConfigureAwait(false);
            }
        });
        return command;
    }

    private static Cid[] Parse(string[] texts) => texts.Select(text =>
    {
        var bare = text.StartsWith("/ipfs/", StringComparison.Ordinal) ? text["/ipfs/".Length..] : text;
        return Cid.TryParse(bare, out var cid) ? cid! : throw new CliException($"invalid path \"{text}\": not a CID");
    }).ToArray();

    private static KeyValuePair<string, string>[] Query(Cid[] cids, bool recursive) =>
        [.. cids.Select(c => KeyValuePair.Create("arg", c.ToString())), KeyValuePair.Create("recursive", recursive ? "true" : "false")];

    private static void Print(CliContext context, ParseResult result, Cid[] cids, string format)
    {
        if (context.IsJson(result))
        {
            SwarmCommands.WriteJsonLine(context, new PinChangeResponse(cids.Select(c => c.ToString()).ToArray()), RepoPinJsonContext.Default.PinChangeResponse);
            return;
        }
        foreach (var cid in cids)
        {
            context.Console.Out.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, cid));
        }
    }
}
