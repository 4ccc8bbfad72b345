using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;

namespace Overlay.Cli.Commands;

/// <summary>
/// Walks what <c>overlay add</c> was given and imports it, reporting every file and directory
/// as it completes (children first), which is the order kubo prints its <c>added</c> lines in.
/// Symlinks inside a directory are stored as UnixFS symlinks, not followed.
/// </summary>
internal sealed class AddWalker(UnixFsImporter importer, bool includeHidden, Action<Cid, string, ulong> added, ProgressLine? meter)
{
    /// <summary>Imports <paramref name="input"/> (a file, a directory, or "-" for stdin) and returns it as a directory entry.</summary>
    public async Task<UnixFsDirectoryEntry> AddAsync(CliConsole console, string input, CancellationToken cancellationToken)
    {
        if (InputSource.IsStdin(input))
        {
            meter?.Start("stdin", null);
            await using var stdin = InputSource.Open(console, input);
            var imported = await importer.ImportFileAsync(stdin, cancellationToken).ConfigureAwait(false);
            // kubo names stdin by its own CID.
            var name = imported.Cid.ToString();
            added(imported.Cid, name, imported.DagSize);
            return new UnixFsDirectoryEntry(name, imported.Cid, imported.DagSize);
        }
        var full = Path.GetFullPath(input);
        var baseName = Path.GetFileName(Path.TrimEndingDirectorySeparator(full));
        if (string.IsNullOrEmpty(baseName))
        {
            throw new CliException($"cannot add {input}: it has no name to give it (a file system root)");
        }
        var result = Directory.Exists(full)
            ? await AddDirectoryAsync(new DirectoryInfo(full), baseName, cancellationToken).ConfigureAwait(false)
            : await AddFileAsync(full, baseName, cancellationToken).ConfigureAwait(false);
        return new UnixFsDirectoryEntry(baseName, result.Cid, result.DagSize);
    }

    private async Task<UnixFsImportResult> AddFileAsync(string path, string displayName, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            meter?.Start(displayName, stream.Length);
            var imported = await importer.ImportFileAsync(stream, cancellationToken).ConfigureAwait(false);
            added(imported.Cid, displayName, imported.DagSize);
            return imported;
        }
    }

    private async Task<UnixFsImportResult> AddDirectoryAsync(DirectoryInfo directory, string displayName, CancellationToken cancellationToken)
    {
        var entries = new List<UnixFsDirectoryEntry>();
        // Ordinal order, so the lines come out the same on every machine (the directory node sorts its links anyway).
        foreach (var info in directory.EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!includeHidden && info.Name.StartsWith('.'))
            {
                continue;
            }
            var childName = displayName + "/" + info.Name;
            UnixFsImportResult child;
            if (info.LinkTarget is { } target)
            {
                child = await importer.PutSymlinkAsync(target, cancellationToken).ConfigureAwait(false);
                added(child.Cid, childName, child.DagSize);
            }
            else if (info is DirectoryInfo subdirectory)
            {
                child = await AddDirectoryAsync(subdirectory, childName, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                child = await AddFileAsync(info.FullName, childName, cancellationToken).ConfigureAwait(false);
            }
            entries.Add(new UnixFsDirectoryEntry(info.Name, child.Cid, child.DagSize));
        }
        var written = await importer.PutDirectoryAsync(entries, cancellationToken).ConfigureAwait(false);
        added(written.Cid, displayName, written.DagSize);
        return written;
    }
}
