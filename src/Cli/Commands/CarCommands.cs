using System.CommandLine;
using Overlay.Manifest.Car;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay car export|import</c>: a DAG as a CARv1 file and back (kubo's
/// <c>ipfs dag export</c> / <c>ipfs dag import --stats</c>). Export writes the DAG depth-first
/// from the root, each block once; import verifies every block against its CID before storing it.
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
        var command = new Command("import", "Store every block of CAR files and print their roots") { files };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var repo = context.OpenRepo(result);
            long blocks = 0;
            long bytes = 0;
            var roots = new List<Manifest.Multiformats.Cid>();
            var inputs = result.GetValue(files) is { Length: > 0 } given ? given : [InputSource.StdinName];
            foreach (var input in inputs)
            {
                await using var stream = InputSource.Open(context.Console, input);
                var reader = await CarReader.OpenAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                await foreach (var block in reader.ReadBlocksAsync(cancellationToken).ConfigureAwait(false))
                {
                    await repo.Blocks.PutAsync(block.Cid, block.Data, cancellationToken).ConfigureAwait(false);
                    blocks++;
                    bytes += block.Data.Length;
                }
                roots.AddRange(reader.Roots.Where(r => !roots.Contains(r)));
            }
            if (context.IsJson(result))
            {
                foreach (var rootCid in roots)
                {
                    context.WriteJson(w =>
                    {
                        w.WriteStartObject("Root");
                        w.WriteStartObject("Cid");
                        w.WriteString("/", rootCid.ToString());
                        w.WriteEndObject();
                        w.WriteEndObject();
                    });
                }
                context.WriteJson(w =>
                {
                    w.WriteStartObject("Stats");
                    w.WriteNumber("BlockCount", blocks);
                    w.WriteNumber("BlockBytesCount", bytes);
                    w.WriteEndObject();
                });
            }
            else
            {
                foreach (var rootCid in roots)
                {
                    context.Console.Out.WriteLine($"Root\t{rootCid}");
                }
                context.Console.Out.WriteLine($"Imported {blocks} blocks ({bytes} bytes)");
            }
        });
        return command;
    }
}
