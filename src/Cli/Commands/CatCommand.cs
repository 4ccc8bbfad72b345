using System.CommandLine;
using Overlay.Manifest.UnixFs;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay cat &lt;path&gt;… [--offset N] [--length N]</c>: file bytes to stdout, like
/// <c>ipfs cat</c>; offset and length apply to the concatenation of all files, as in kubo.
/// </summary>
internal static class CatCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("ipfs-path") { Description = "Files to print: <cid>[/path] or /ipfs/<cid>[/path]", Arity = ArgumentArity.OneOrMore };
        var offset = new Option<long>("--offset", "-o") { Description = "Byte offset to begin reading from" };
        var length = new Option<long?>("--length", "-l") { Description = "Most bytes to read" };
        var command = new Command("cat", "Write the bytes of UnixFS files to stdout") { paths, offset, length };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var skip = result.GetValue(offset);
            var remaining = result.GetValue(length);
            if (skip < 0)
            {
                throw new CliException("--offset must not be negative");
            }
            if (remaining < 0)
            {
                throw new CliException("--length must not be negative");
            }
            if (await DaemonCat.TryRunAsync(context, context.ResolveRepoPath(result), result.GetRequiredValue(paths), skip, remaining, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            var repo = context.OpenRepo(result);
            var reader = new UnixFsReader(repo.Blocks);
            var output = context.Console.Output;
            foreach (var path in result.GetRequiredValue(paths))
            {
                if (remaining == 0)
                {
                    break;
                }
                var cid = await UnixFsArgument.ResolveAsync(reader, path, cancellationToken).ConfigureAwait(false);
                var stat = await reader.StatAsync(cid, cancellationToken).ConfigureAwait(false);
                if (stat.Type != UnixFsType.File)
                {
                    throw new CliException($"{path} is a {stat.Type.ToString().ToLowerInvariant()}, not a file");
                }
                var size = checked((long)stat.Size);
                if (skip >= size)
                {
                    skip -= size;
                    continue;
                }
                var take = remaining is { } r ? Math.Min(r, size - skip) : size - skip;
                await foreach (var chunk in reader.ReadAsync(cid, skip, take, cancellationToken).ConfigureAwait(false))
                {
                    await output.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                }
                skip = 0;
                remaining -= take;
            }
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
