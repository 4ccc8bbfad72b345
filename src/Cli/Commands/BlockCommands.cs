using Overlay.Manifest.Codecs;
using System.CommandLine;
using Overlay.Gateway.Admin;
using Overlay.Manifest.Multiformats;
using Overlay.Repo;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay block put|get|stat|rm</c>: raw blocks, with kubo's arguments and output
/// (<c>ipfs block …</c>, kubo ≥ 0.13: CIDv1 with the raw codec by default).
/// </summary>
internal static class BlockCommands
{
    /// <summary>
    /// kubo's soft limit (1 MiB, inclusive): bigger blocks cannot travel over standard bitswap,
    /// so <c>block put</c> refuses them unless <c>--allow-big-block</c> is given.
    /// </summary>
    public const int SoftBlockLimit = 1024 * 1024;

    public static Command Create(CliContext context)
    {
        var block = new Command("block", "Put, get, stat and remove raw blocks");
        block.Add(CreatePut(context));
        block.Add(CreateGet(context));
        block.Add(CreateStat(context));
        block.Add(CreateRemove(context));
        return block;
    }

    private static Command CreatePut(CliContext context)
    {
        var files = new Argument<string[]>("data")
        {
            Description = "Files whose bytes become blocks; stdin when none or \"-\"",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var codec = new Option<string>("--cid-codec")
        {
            Description = "Multicodec of the CID",
            DefaultValueFactory = _ => "raw",
        };
        codec.AcceptOnlyFromAmong([.. IpldCodecs.Names]);
        var hash = new Option<string>("--mhtype")
        {
            Description = "Multihash function",
            DefaultValueFactory = _ => "sha2-256",
        };
        hash.AcceptOnlyFromAmong([.. IpldCodecs.HashNames]);
        var allowBig = new Option<bool>("--allow-big-block")
        {
            Description = $"Allow blocks over {SoftBlockLimit} bytes (they cannot be exchanged over standard bitswap)",
        };
        var command = new Command("put", "Store input as a block and print its CID") { files, codec, hash, allowBig };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var repoPath = context.ResolveRepoPath(result);
            var codecCode = BlockCodecs.CodeOf(result.GetRequiredValue(codec));
            var algorithm = IpldCodecs.TryGetHash(result.GetRequiredValue(hash), out var named)
                ? named
                : throw new CliException($"unsupported --mhtype; one of: {string.Join(", ", IpldCodecs.HashNames)}");
            long limit = result.GetValue(allowBig) ? Array.MaxLength : SoftBlockLimit;
            var inputs = result.GetValue(files) is { Length: > 0 } given ? given : [InputSource.StdinName];
            foreach (var input in inputs)
            {
                if (await DaemonBlocks.TryPutAsync(repoPath, () => InputSource.Open(context.Console, input), result.GetRequiredValue(codec), result.GetRequiredValue(hash), result.GetValue(allowBig), cancellationToken).ConfigureAwait(false) is { } put)
                {
                    WriteKeySize(context, result, Cid.Parse(put.Key), put.Size, plain: put.Key);
                    continue;
                }
                var repo = context.OpenRepo(result);
                byte[] data;
                await using (var stream = InputSource.Open(context.Console, input))
                {
                    data = await InputSource.ReadAllAsync(stream, limit, size => new CliException(
                        $"produced block is over 1MiB: big blocks can't be exchanged with other peers. " +
                        "consider using UnixFS for automatic chunking of bigger files (`overlay add`), or pass --allow-big-block to override"),
                        cancellationToken).ConfigureAwait(false);
                }
                var cid = Cid.CreateV1(codecCode, Multihash.Compute(data, algorithm));
                await repo.Blocks.PutAsync(cid, data, cancellationToken).ConfigureAwait(false);
                WriteKeySize(context, result, cid, data.Length, plain: cid.ToString());
            }
        });
        return command;
    }

    private static Command CreateGet(CliContext context)
    {
        var cidArgument = new Argument<string>("cid") { Description = "CID of the block" };
        var command = new Command("get", "Write a block's raw bytes to stdout") { cidArgument };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var cid = CidArgument.Parse(result.GetRequiredValue(cidArgument));
            if (await DaemonBlocks.TryGetAsync(context.ResolveRepoPath(result), cid.ToString(), context.Console.Output, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            var repo = context.OpenRepo(result);
            var data = await repo.Blocks.GetAsync(cid, cancellationToken).ConfigureAwait(false) ?? throw NotFound(cid);
            await context.Console.Output.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            await context.Console.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command CreateStat(CliContext context)
    {
        var cidArgument = new Argument<string>("cid") { Description = "CID of the block" };
        var command = new Command("stat", "Print a block's CID and size") { cidArgument };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var cid = CidArgument.Parse(result.GetRequiredValue(cidArgument));
            if (await DaemonBlocks.TryStatAsync(context.ResolveRepoPath(result), cid.ToString(), cancellationToken).ConfigureAwait(false) is { } stat)
            {
                WriteKeySize(context, result, cid, stat.Size, plain: $"Key: {cid}\nSize: {stat.Size}");
                return;
            }
            var repo = context.OpenRepo(result);
            // Like kubo, stat reads the block, so a corrupt file is reported rather than sized.
            var data = await repo.Blocks.GetAsync(cid, cancellationToken).ConfigureAwait(false) ?? throw NotFound(cid);
            WriteKeySize(context, result, cid, data.Length, plain: $"Key: {cid}\nSize: {data.Length}");
        });
        return command;
    }

    private static Command CreateRemove(CliContext context)
    {
        var cids = new Argument<string[]>("cid") { Description = "CIDs of the blocks to remove", Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Ignore blocks that are not there" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Write nothing on success" };
        var command = new Command("rm", "Remove blocks from the repo (pinned blocks stay)") { cids, force, quiet };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var parsed = result.GetRequiredValue(cids).Select(CidArgument.Parse).ToList();
            var isForced = result.GetValue(force);
            var outcomes = await DaemonBlockRemove.TryRunAsync(context.ResolveRepoPath(result), parsed.Select(c => c.ToString()), isForced, cancellationToken).ConfigureAwait(false)
                ?? await RemoveOfflineAsync(context.OpenRepo(result), parsed, isForced, cancellationToken).ConfigureAwait(false);
            var failures = new List<string>();
            foreach (var outcome in outcomes)
            {
                if (outcome.Error is { } error)
                {
                    failures.Add($"cannot remove {outcome.Hash}: {error}");
                }
                if (context.IsJson(result))
                {
                    context.WriteJson(w =>
                    {
                        w.WriteString("Hash", outcome.Hash);
                        if (outcome.Error is not null)
                        {
                            w.WriteString("Error", outcome.Error);
                        }
                    });
                }
                else if (outcome.Error is null && !result.GetValue(quiet))
                {
                    context.Console.Out.WriteLine($"removed {outcome.Hash}");
                }
            }
            if (failures.Count == 1 && parsed.Count == 1)
            {
                throw new CliException(failures[0]);
            }
            if (failures.Count > 0)
            {
                foreach (var failure in failures)
                {
                    await context.Console.Error.WriteLineAsync(failure).ConfigureAwait(false);
                }
                throw new CliException("some blocks not removed");
            }
        });
        return command;
    }

    /// <summary>The daemon's rules on the repo itself: a pinned block stays (as in kubo), a missing one is an error unless forced.</summary>
    private static async Task<IReadOnlyList<BlockRmLine>> RemoveOfflineAsync(OverlayRepo repo, IReadOnlyList<Cid> cids, bool force, CancellationToken cancellationToken)
    {
        var outcomes = new List<BlockRmLine>();
        foreach (var cid in cids)
        {
            string? error = null;
            if (await repo.Pins.IsPinnedAsync(cid, cancellationToken).ConfigureAwait(false) is { } pinned)
            {
                error = $"pinned: {pinned.ToString().ToLowerInvariant()}";
            }
            else if (await repo.Blocks.HasAsync(cid, cancellationToken).ConfigureAwait(false))
            {
                await repo.Blocks.DeleteAsync(cid, cancellationToken).ConfigureAwait(false);
            }
            else if (!force)
            {
                error = "block not found";
            }
            outcomes.Add(new BlockRmLine { Hash = cid.ToString(), Error = error });
        }
        return outcomes;
    }

    private static void WriteKeySize(CliContext context, ParseResult result, Cid cid, int size, string plain)
    {
        if (context.IsJson(result))
        {
            context.WriteJson(w =>
            {
                w.WriteString("Key", cid.ToString());
                w.WriteNumber("Size", size);
            });
        }
        else
        {
            context.Console.Out.WriteLine(plain);
        }
    }

    private static CliException NotFound(Cid cid) => new($"block {cid} not found in the repo");
}
