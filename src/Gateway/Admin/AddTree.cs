using Overlay.Manifest.Errors;
using Overlay.Manifest.UnixFs;

namespace Overlay.Gateway.Admin;

/// <summary>
/// Rebuilds the tree an <c>add</c> upload describes from its parts' paths ("dir", "dir/a.txt",
/// …). As in kubo, a directory may be sent as its own part or only implied by the paths below
/// it, and parts may come in any order. Files are imported as their parts stream in and
/// reported at once; directories are written at the end, each after everything in it (kubo's
/// order too). Only the entry lists are held, never file content.
/// </summary>
internal sealed class AddTree(UnixFsImporter importer, Func<string, UnixFsImportResult, Task> added)
{
    /// <summary>Deeper than any real tree; a crafted upload must not nest without end.</summary>
    private const int MaxDepth = 256;

    /// <summary>Entries held across the whole tree before the upload is refused.</summary>
    private const int MaxEntries = 1 << 20;

    private readonly PendingDirectory _root = new("", 0);
    private int _entries;

    /// <summary>The top-level entries, once <see cref="FinishAsync"/> has written every directory.</summary>
    public IReadOnlyList<UnixFsDirectoryEntry> Top { get; private set; } = [];

    public Task AddDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        if (path.Length == 0)
        {
            throw new ApiArgumentException("a directory part needs a name");
        }
        DirectoryAt(path);
        return Task.CompletedTask;
    }

    public async Task AddFileAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        if (path.Length == 0)
        {
            // A file with no name (stdin) is named by its CID, as kubo does.
            Count();
            var unnamed = await importer.ImportFileAsync(content, cancellationToken).ConfigureAwait(false);
            await HoldAsync(_root, unnamed.Cid.ToString(), unnamed).ConfigureAwait(false);
            return;
        }
        var (parent, name) = ParentOf(path);
        parent.Reserve(path, name);
        var imported = await importer.ImportFileAsync(content, cancellationToken).ConfigureAwait(false);
        await HoldAsync(parent, name, imported).ConfigureAwait(false);
    }

    public async Task AddSymlinkAsync(string path, string target, CancellationToken cancellationToken)
    {
        if (path.Length == 0)
        {
            throw new ApiArgumentException("a symlink part needs a name");
        }
        var (parent, name) = ParentOf(path);
        parent.Reserve(path, name);
        var link = await importer.PutSymlinkAsync(target, cancellationToken).ConfigureAwait(false);
        await HoldAsync(parent, name, link).ConfigureAwait(false);
    }

    /// <summary>Writes every directory, deepest first, and sets <see cref="Top"/>.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken) =>
        Top = await CloseChildrenAsync(_root, cancellationToken).ConfigureAwait(false);

    private async Task<List<UnixFsDirectoryEntry>> CloseChildrenAsync(PendingDirectory directory, CancellationToken cancellationToken)
    {
        var entries = new List<UnixFsDirectoryEntry>(directory.Children.Count);
        foreach (var (name, child) in directory.Children)
        {
            if (child is PendingDirectory sub)
            {
                var written = await importer.PutDirectoryAsync(await CloseChildrenAsync(sub, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                await added(sub.Path, written).ConfigureAwait(false);
                entries.Add(new UnixFsDirectoryEntry(name, written.Cid, written.DagSize));
            }
            else
            {
                entries.Add((UnixFsDirectoryEntry)child!);
            }
        }
        return entries;
    }

    private async Task HoldAsync(PendingDirectory parent, string name, UnixFsImportResult result)
    {
        parent.Set(name, new UnixFsDirectoryEntry(name, result.Cid, result.DagSize));
        await added(parent.Path.Length == 0 ? name : parent.Path + "/" + name, result).ConfigureAwait(false);
    }

    private (PendingDirectory Parent, string Name) ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        var parent = slash < 0 ? _root : DirectoryAt(path[..slash]);
        var name = slash < 0 ? path : path[(slash + 1)..];
        CheckSegment(path, name);
        Count();
        return (parent, name);
    }

    /// <summary>The directory at <paramref name="path"/>, creating it and any missing parents.</summary>
    private PendingDirectory DirectoryAt(string path)
    {
        var directory = _root;
        foreach (var segment in path.Split('/'))
        {
            CheckSegment(path, segment);
            var childPath = directory.Path.Length == 0 ? segment : directory.Path + "/" + segment;
            switch (directory.Get(segment))
            {
                case PendingDirectory existing:
                    directory = existing;
                    break;
                case null when directory.Has(segment):
                case UnixFsDirectoryEntry:
                    throw new ApiArgumentException($"the upload names \"{childPath}\" as both a file and a directory");
                default:
                    if (directory.Depth + 1 > MaxDepth)
                    {
                        throw new LimitExceededException("add", "directory depth", MaxDepth, directory.Depth + 1);
                    }
                    Count();
                    var created = new PendingDirectory(childPath, directory.Depth + 1);
                    directory.Index[segment] = directory.Children.Count;
                    directory.Children.Add((segment, created));
                    directory = created;
                    break;
            }
        }
        return directory;
    }

    private void Count()
    {
        if (++_entries > MaxEntries)
        {
            throw new LimitExceededException("add", "entries", MaxEntries, _entries);
        }
    }

    private static void CheckSegment(string path, string segment)
    {
        if (segment.Length == 0 || segment is "." or ".." || segment.Contains('\0', StringComparison.Ordinal))
        {
            throw new ApiArgumentException($"\"{path}\" is not a valid name for an added entry");
        }
    }

    /// <summary>A directory being built: its children in upload order, each a finished entry or a subdirectory (null while a file streams in).</summary>
    private sealed class PendingDirectory(string path, int depth)
    {
        public string Path { get; } = path;

        public int Depth { get; } = depth;

        public List<(string Name, object? Child)> Children { get; } = [];

        public Dictionary<string, int> Index { get; } = new(StringComparer.Ordinal);

        public bool Has(string name) => Index.ContainsKey(name);

        public object? Get(string name) => Index.TryGetValue(name, out var i) ? Children[i].Child : null;

        /// <summary>Claims <paramref name="name"/> for a file about to stream in, so a second part with the same path is refused.</summary>
        public void Reserve(string path, string name)
        {
            if (Has(name))
            {
                throw new ApiArgumentException($"the upload names \"{path}\" twice");
            }
            Index[name] = Children.Count;
            Children.Add((name, null));
        }

        public void Set(string name, UnixFsDirectoryEntry entry)
        {
            if (!Index.TryGetValue(name, out var i))
            {
                Index[name] = i = Children.Count;
                Children.Add((name, null));
            }
            Children[i] = (name, entry);
        }
    }
}
