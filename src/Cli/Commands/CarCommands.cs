using System.CommandLine;
using Overlay.Blocks;
using Overlay.Gateway.Admin;
using Overlay.Manifest.Car;
using Overlay.Manifest.Multiformats;
using Overlay.Repo;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay car export|import</c>: a DAG as a CARv1 file and back (kubo's
/// <c>ipfs dag export</c> / <c>ipfs dag import --stats</c>). Export writes the DAG depth-first
/// from the root, each block once; import verifies every block against its CID before storing it
/// and pins the roots (kubo's <c>--pin-roots</c>, default true). With a daemon running both go
/// through it (<c>/api/v0/dag/export|import</c>): the export fetches missing blocks over bitswap.
/// </summary>
internal static class CarCommands
{
    public static Command Create(CliContext context)
    {
        var car = new Command("car", "Export a DAG as a CAR file, import CAR files");
        car.Add(CreateExport(context));
        car.Add(CreateImport(context));
        return car;
    }

    private static Command CreateExport(CliContext context)
    {
        var root = new Argument<string>("root") { Description = "CID of the DAG's root" };
        var command = new Command("export", "Write the DAG under a root to stdout as a CARv1") { root };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var cid = CidArgument.Parse(result.GetRequiredValue(root));
            if (await DaemonCar.TryExportAsync(context.ResolveRepoPath(result), cid.ToString(), context.Console.Output, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            var repo = context.OpenRepo(result);
            // Checked before the header goes out, so a wrong CID leaves stdout empty; a block missing
            // deeper in the DAG can only be found mid-stream, after part of the CAR was written.
            if (!await repo.Blocks.HasAsync(cid, cancellationToken).ConfigureAwait(false))
            {
                throw new CliException($"block {cid} not found in the repo");
            }
            await CarExporter.ExportAsync(repo.Blocks, cid, context.Console.Output, cancellationToken: cancellationToken).ConfigureAwait(false);
            await context.Console.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command CreateImport(CliContext context)
    {
        var files = new Argument<string[]>("path") { Description = "CAR files (v1, or v2 wrapping v1); stdin when none or \"-\"", Arity = ArgumentArity.ZeroOrMore };
        var pinRoots = new Option<bool>("--pin-roots")
        {
            Description = "Pin the CARs' roots recursively after importing (default true; --pin-roots=false to keep them unpinned)",
            DefaultValueFactory = _ => true,
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("import", "Store every block of CAR files, pin and print their roots") { files, pinRoots };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var inputs = result.GetValue(files) is { Length: > 0 } given ? given : [InputSource.StdinName];
            var pin = result.GetValue(pinRoots);
            var lines = await DaemonCar.TryImportAsync(context.ResolveRepoPath(result), [.. inputs.Select(i => (Func<Stream>)(() => InputSource.Open(context.Console, i)))], pin, cancellationToken).ConfigureAwait(false)
                ?? await ImportOfflineAsync(context, context.OpenRepo(result), inputs, pin, cancellationToken).ConfigureAwait(false);
            Print(context, result, lines);
        });
        return command;
    }

    /// <summary>What the daemon's <c>dag/import?stats=true</c> answers, done on the repo directly.</summary>
    private static async Task<IReadOnlyList<DagImportLine>> ImportOfflineAsync(CliContext context, OverlayRepo repo, IReadOnlyList<string> inputs, bool pin, CancellationToken cancellationToken)
    {
        // Leased until the roots are pinned, so a quota eviction meanwhile takes none of the DAG.
        using var operation = repo.Blocks.BeginOperation();
        long blocks = 0;
        long bytes = 0;
        var roots = new List<Cid>();
        foreach (var input in inputs)
        {
            await using var stream = InputSource.Open(context.Console, input);
            var reader = await CarReader.OpenAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            await foreach (var block in reader.ReadBlocksAsync(cancellationToken).ConfigureAwait(false))
            {
                await operation.Blocks.PutAsync(block.Cid, block.Data, cancellationToken).ConfigureAwait(false);
                blocks++;
                bytes += block.Data.Length;
            }
            roots.AddRange(reader.Roots.Where(r => !roots.Contains(r)));
        }
        var lines = new List<DagImportLine>();
        foreach (var root in roots)
        {
            var pinError = "";
            if (pin)
            {
                try
                {
                    await repo.Pins.AddAsync(root, recursive: true, operation.Blocks, cancellationToken).ConfigureAwait(false);
                }
                catch (PinException e)
                {
                    pinError = e.Message;
                }
            }
            lines.Add(new DagImportLine { Root = new DagImportRoot(new RepoCidLink(root.ToString()), pinError) });
        }
        lines.Add(new DagImportLine { Stats = new DagImportStats(blocks, bytes) });
        return lines;
    }

    /// <summary>The roots and the stats, as text or kubo's JSON lines; a root that could not be pinned fails the command after they are printed.</summary>
    private static void Print(CliContext context, ParseResult result, IReadOnlyList<DagImportLine> lines)
    {
        var failures = new List<string>();
        foreach (var root in lines.Select(l => l.Root).OfType<DagImportRoot>())
        {
            if (root.PinErrorMsg.Length > 0)
            {
                failures.Add($"pinning root {root.Cid.Cid} failed: {root.PinErrorMsg}");
            }
            if (context.IsJson(result))
            {
                context.WriteJson(w =>
                {
                    w.WriteStartObject("Root");
                    w.WriteStartObject("Cid");
                    w.WriteString("/", root.Cid.Cid);
                    w.WriteEndObject();
                    if (root.PinErrorMsg.Length > 0)
                    {
                        w.WriteString("PinErrorMsg", root.PinErrorMsg);
                    }
                    w.WriteEndObject();
                });
            }
            else
            {
                context.Console.Out.WriteLine($"Root\t{root.Cid.Cid}");
            }
        }
        var stats = lines.Select(l => l.Stats).OfType<DagImportStats>().LastOrDefault()
            ?? throw new CliException("the daemon answered dag/import without its stats line");
        if (context.IsJson(result))
        {
            context.WriteJson(w =>
            {
                w.WriteStartObject("Stats");
                w.WriteNumber("BlockCount", stats.BlockCount);
                w.WriteNumber("BlockBytesCount", stats.BlockBytesCount);
                w.WriteEndObject();
            });
        }
        else
        {
            context.Console.Out.WriteLine($"Imported {stats.BlockCount} blocks ({stats.BlockBytesCount} bytes)");
        }
        if (failures.Count > 0)
        {
            throw new CliException(failures.Count == 1 ? failures[0] : $"{failures.Count} roots could not be pinned: {failures[0]}");
        }
    }
}
