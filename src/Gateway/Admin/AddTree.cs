using Overlay.Manifest.Errors;
using Overlay.Manifest.UnixFs;

namespace Overlay.Gateway.Admin;

/// <summary>
/// Rebuilds the tree an <c>add</c> upload describes: parts arrive in walk order, each named by
/// its path ("dir", "dir/a.txt", …), a directory before what is in it. Files are imported as
/// their part streams in; a directory is written once the walk has left it, so every entry is
/// reported children first, as kubo (and our offline <c>add</c>) does. Only the open
/// directories' entry lists are held, never file content.
/// </summary>
internal sealed class AddTree(UnixFsImporter importer, Func<string, UnixFsImportResult, Task> added)
{
    /// <summary>Deeper than any real tree; a crafted upload must not grow the stack without end.</summary>
    private const int MaxDepth = 256;

    /// <summary>Entries held across all open directories before the upload is refused.</summary>
    private const int MaxOpenEntries = 1 << 20;

    private readonly List<OpenDirectory> _open = [];
    private readonly List<UnixFsDirectoryEntry> _top = [];
    private int _held;

    /// <summary>The top-level entries, once <see cref="FinishAsync"/> has closed every directory.</summary>
    public IReadOnlyList<UnixFsDirectoryEntry> Top => _top;

    public async Task AddDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        if ((await EnterAsync(path, cancellationToken).ConfigureAwait(false)).Length == 0)
        {
            throw new ApiArgumentException("a directory part needs a name");
        }
        if (_open.Count >= MaxDepth)
        {
            throw new LimitExceededException("add", "directory depth", MaxDepth, _open.Count + 1);
        }
        _open.Add(new OpenDirectory(path));
    }

    public async Task AddFileAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        var name = await EnterAsync(path, cancellationToken).ConfigureAwait(false);
        var imported = await importer.ImportFileAsync(content, cancellationToken).ConfigureAwait(false);
        // A file with no name (stdin) is named by its CID, as kubo does.
        await HoldAsync(name.Length == 0 ? imported.Cid.ToString() : path, name.Length == 0 ? imported.Cid.ToString() : name, imported).ConfigureAwait(false);
    }

    public async Task AddSymlinkAsync(string path, string target, CancellationToken cancellationToken)
    {
        var name = await EnterAsync(path, cancellationToken).ConfigureAwait(false);
        if (name.Length == 0)
        {
            throw new ApiArgumentException("a symlink part needs a name");
        }
        var link = await importer.PutSymlinkAsync(target, cancellationToken).ConfigureAwait(false);
        await HoldAsync(path, name, link).ConfigureAwait(false);
    }

    /// <summary>Closes the directories still open; after this <see cref="Top"/> is complete.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        while (_open.Count > 0)
        {
            await CloseAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the directories the walk has left and returns the entry's name in its parent.</summary>
    private async Task<string> EnterAsync(string path, CancellationToken cancellationToken)
    {
        var slash = path.LastIndexOf('/');
        var parent = slash < 0 ? "" : path[..slash];
        var name = slash < 0 ? path : path[(slash + 1)..];
        CheckSegments(path);
        while (_open.Count > 0 && parent != _open[^1].Path && !parent.StartsWith(_open[^1].Path + "/", StringComparison.Ordinal))
        {
            await CloseAsync(cancellationToken).ConfigureAwait(false);
        }
        var expected = _open.Count > 0 ? _open[^1].Path : "";
        if (parent != expected)
        {
            throw new ApiArgumentException($"\"{path}\" comes before its directory \"{parent}\" in the upload");
        }
        return name;
    }

    private async Task CloseAsync(CancellationToken cancellationToken)
    {
        var directory = _open[^1];
        _open.RemoveAt(_open.Count - 1);
        _held -= directory.Entries.Count;
        var written = await importer.PutDirectoryAsync(directory.Entries, cancellationToken).ConfigureAwait(false);
        var path = directory.Path;
        var slash = path.LastIndexOf('/');
        await HoldAsync(path, slash < 0 ? path : path[(slash + 1)..], written).ConfigureAwait(false);
    }

    private async Task HoldAsync(string path, string name, UnixFsImportResult result)
    {
        var siblings = _open.Count > 0 ? _open[^1].Entries : _top;
        if (_open.Count > 0 && !_open[^1].Names.Add(name))
        {
            throw new ApiArgumentException($"the upload names \"{path}\" twice");
        }
        if (++_held > MaxOpenEntries)
        {
            throw new LimitExceededException("add", "directory entries", MaxOpenEntries, _held);
        }
        siblings.Add(new UnixFsDirectoryEntry(name, result.Cid, result.DagSize));
        await added(path, result).ConfigureAwait(false);
    }

    private static void CheckSegments(string path)
    {
        if (path.Length == 0)
        {
            return;
        }
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or ".." || segment.Contains('\0', StringComparison.Ordinal))
            {
                throw new ApiArgumentException($"\"{path}\" is not a valid name for an added entry");
            }
        }
    }

    private sealed class OpenDirectory(string path)
    {
        public string Path { get; } = path;

        public List<UnixFsDirectoryEntry> Entries { get; } = [];

        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    }
}
