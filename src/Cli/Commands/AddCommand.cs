using System.CommandLine;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.UnixFs;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay add</c>: imports files (and with <c>-r</c> directories) as UnixFS under the
/// <c>unixfs-v1-2025</c> profile and prints kubo's <c>added &lt;cid&gt; &lt;name&gt;</c> lines,
/// children before their directory. <c>-n</c> computes CIDs without storing anything.
/// </summary>
internal static class AddCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("path") { Description = "Files or directories to add; stdin when none or \"-\"", Arity = ArgumentArity.ZeroOrMore };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Add directories and everything below them" };
        var onlyHash = new Option<bool>("--only-hash", "-n") { Description = "Only compute the CIDs; store nothing (needs no repo)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the CIDs" };
        var quieter = new Option<bool>("--quieter", "-Q") { Description = "Print only the final CID" };
        var wrap = new Option<bool>("--wrap-with-directory", "-w") { Description = "Wrap the added items in a directory" };
        var hidden = new Option<bool>("--hidden", "-H") { Description = "Include files whose names start with '.'" };
        var progress = new Option<bool?>("--progress", "-p") { Description = "Show progress on stderr (default: when stderr is a terminal)" };
        var pin = new Option<bool>("--pin") { Description = "Pin the added root recursively (default true, as kubo)", DefaultValueFactory = _ => true, Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("add", "Add files to the repo as UnixFS and print their CIDs")
        {
            paths, recursive, onlyHash, quiet, quieter, wrap, hidden, progress, pin,
        };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var inputs = result.GetValue(paths) is { Length: > 0 } given ? given : [InputSource.StdinName];
            if (!result.GetValue(recursive))
            {
                foreach (var input in inputs.Where(i => !InputSource.IsStdin(i) && Directory.Exists(i)))
                {
                    throw new CliException($"{input} is a directory, use the '-r' flag to specify directories");
                }
            }
            var repo = result.GetValue(onlyHash) ? null : context.OpenRepo(result);
            using var operation = repo?.Blocks.BeginOperation(); // GC and eviction keep the add's blocks until pinned
            IBlockStore store = operation is null ? new DiscardingBlockStore() : operation.Blocks;
            var showProgress = (result.GetValue(progress) ?? context.Console.ErrorIsTerminal) && !result.GetValue(quieter);
            var daemon = new DaemonAdd.Request(inputs, result.GetValue(onlyHash), result.GetValue(wrap), result.GetValue(hidden), result.GetValue(quiet), result.GetValue(quieter), context.IsJson(result), showProgress, result.GetValue(pin));
            if (await DaemonAdd.TryRunAsync(context, context.ResolveRepoPath(result), daemon, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            using var meter = showProgress ? new ProgressLine(context.Console.Error) : null;
            var options = new UnixFsImportOptions { IncludeHidden = result.GetValue(hidden), Progress = meter };
            var importer = new UnixFsImporter(store, options);
            var printer = new AddedPrinter(context, context.IsJson(result), result.GetValue(quiet), result.GetValue(quieter), meter);
            var walker = new AddWalker(importer, options.IncludeHidden, printer.Added, meter);

            var top = new List<UnixFsDirectoryEntry>();
            foreach (var input in inputs)
            {
                top.Add(await walker.AddAsync(context.Console, input, cancellationToken).ConfigureAwait(false));
            }
            if (result.GetValue(wrap))
            {
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var entry in top.Where(e => !names.Add(e.Name)))
                {
                    throw new CliException($"cannot wrap two items named \"{entry.Name}\" in one directory");
                }
                var wrapper = await importer.PutDirectoryAsync(top, cancellationToken).ConfigureAwait(false);
                printer.Added(wrapper.Cid, "", wrapper.DagSize);
                top = [new UnixFsDirectoryEntry("", wrapper.Cid, wrapper.DagSize)];
            }
            foreach (var root in repo is not null && result.GetValue(pin) ? top : [])
            {
                await repo!.Pins.AddAsync(root.Cid, recursive: true, store, cancellationToken).ConfigureAwait(false);
            }
            printer.Finish();
        });
        return command;
    }
}
