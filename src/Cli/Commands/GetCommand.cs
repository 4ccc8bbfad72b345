using System.CommandLine;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;

namespace Overlay.Cli.Commands;

/// <summary>
/// <c>overlay get &lt;path&gt; [-o PATH]</c>: writes a UnixFS file, directory tree or symlink to
/// disk, like <c>ipfs get</c> (default name: the last path component, or the CID). Entry names
/// come from the DAG, so each is checked before it touches the file system: no "..", no
/// separators, no writing through a symlink the same DAG created.
/// </summary>
internal static class GetCommand
{
    private const string FormatName = "unixfs";

    /// <summary>Directory nesting followed before giving up; real trees are far shallower, a crafted DAG need not be.</summary>
    private const int MaxDepth = 256;

    public static Command Create(CliContext context)
    {
        var pathArgument = new Argument<string>("ipfs-path") { Description = "What to get: <cid>[/path] or /ipfs/<cid>[/path]" };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write it (default: ./<name>)" };
        var command = new Command("get", "Write a UnixFS file or directory from the repo to disk") { pathArgument, output };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var text = result.GetRequiredValue(pathArgument);
            var (root, segments) = CidArgument.ParsePath(text);
            var target = Path.GetFullPath(result.GetValue(output) ?? (segments.Count > 0 ? segments[^1] : root.ToString()));
            if (await DaemonGet.TryRunAsync(context, context.ResolveRepoPath(result), text, target, context.IsJson(result), cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            var repo = context.OpenRepo(result);
            var reader = new UnixFsReader(repo.Blocks);
            var cid = await UnixFsArgument.ResolveAsync(reader, text, cancellationToken).ConfigureAwait(false);
            // Reading the root first keeps "Saving…" from announcing something that is not there.
            await reader.StatAsync(cid, cancellationToken).ConfigureAwait(false);
            if (!context.IsJson(result))
            {
                context.Console.Out.WriteLine($"Saving file(s) to {target}");
            }
            await new Writer(reader).WriteAsync(cid, target, 0, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private sealed class Writer(UnixFsReader reader)
    {
        public async Task WriteAsync(Cid cid, string target, int depth, CancellationToken cancellationToken)
        {
            if (depth > MaxDepth)
            {
                throw new LimitExceededException(FormatName, "directory depth", MaxDepth, depth);
            }
            var stat = await reader.StatAsync(cid, cancellationToken).ConfigureAwait(false);
            switch (stat.Type)
            {
                case UnixFsType.File:
                    await WriteFileAsync(cid, target, cancellationToken).ConfigureAwait(false);
                    break;
                case UnixFsType.Symlink:
                    ReplaceWithSymlink(target, stat.SymlinkTarget!);
                    break;
                default:
                    await WriteDirectoryAsync(cid, target, depth, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        private async Task WriteDirectoryAsync(Cid cid, string target, int depth, CancellationToken cancellationToken)
        {
            var existing = new FileInfo(target);
            if (existing.LinkTarget is not null)
            {
                throw new CliException($"refusing to write into {target}: it is a symlink");
            }
            Directory.CreateDirectory(target);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var entry in reader.ListAsync(cid, cancellationToken).ConfigureAwait(false))
            {
                CheckName(cid, entry.Name);
                if (!seen.Add(entry.Name))
                {
                    throw new MalformedDataException(FormatName, $"directory {cid} names \"{entry.Name}\" twice");
                }
                await WriteAsync(entry.Cid, Path.Combine(target, entry.Name), depth + 1, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Writes to a temporary name and renames, which replaces (never follows) whatever was there.</summary>
        private async Task WriteFileAsync(Cid cid, string target, CancellationToken cancellationToken)
        {
            var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.part");
            try
            {
                var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
                await using (stream.ConfigureAwait(false))
                {
                    await foreach (var chunk in reader.ReadAsync(cid, cancellationToken: cancellationToken).ConfigureAwait(false))
                    {
                        await stream.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                    }
                }
                if (Directory.Exists(target) && new FileInfo(target).LinkTarget is null)
                {
                    throw new CliException($"cannot write file {target}: a directory is there");
                }
                File.Move(temp, target, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }
        }

        private static void ReplaceWithSymlink(string target, string linkTarget)
        {
            var existing = new FileInfo(target);
            if (existing.Exists || existing.LinkTarget is not null)
            {
                File.Delete(target);
            }
            File.CreateSymbolicLink(target, linkTarget);
        }

        private static void CheckName(Cid directory, string name)
        {
            if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            {
                throw new MalformedDataException(FormatName, $"directory {directory} has an entry named \"{name}\", which cannot be a file name");
            }
        }
    }
}
