// Spec: https://specs.ipfs.tech/unixfs/ (files, directories, HAMT directories, path resolution)
using System.Runtime.CompilerServices;
using System.Text;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.UnixFs;

/// <summary>
/// Reads UnixFS DAGs from an <see cref="IBlockStore"/>: file bytes (whole or a range), directory
/// listings (flat and HAMT) and paths. Every block is checked against its CID before it is
/// parsed (<see cref="VerificationException"/>), a missing one is a
/// <see cref="BlockNotFoundException"/>, and DAG depth is bounded.
/// </summary>
public sealed class UnixFsReader
{
    private readonly IBlockStore _store;
    private readonly UnixFsReaderOptions _options;

    public UnixFsReader(IBlockStore store, UnixFsReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= UnixFsReaderOptions.Default;
        if (options.MaxDepth < 1 || options.Prefetch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxDepth must be positive and Prefetch non-negative");
        }
        _store = store;
        _options = options;
    }

    /// <summary>What <paramref name="cid"/> is, from its root block alone.</summary>
    public async Task<UnixFsStat> StatAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        var node = await UnixFsNode.LoadAsync(_store, cid, cancellationToken).ConfigureAwait(false);
        return node.Type switch
        {
            UnixFsType.File or UnixFsType.Raw => Stat(node, UnixFsType.File, node.ContentSize()),
            UnixFsType.Directory or UnixFsType.HamtShard => Stat(node, UnixFsType.Directory, 0),
            UnixFsType.Symlink => Stat(node, UnixFsType.Symlink, 0) with { SymlinkTarget = SymlinkTarget(node) },
            _ => throw new MalformedDataException(UnixFsData.FormatName, $"{cid}: {node.Type} nodes are not readable"),
        };
    }

    /// <summary>
    /// The bytes of file <paramref name="cid"/> from <paramref name="offset"/>, at most
    /// <paramref name="length"/> of them (to the end when null). Only blocks holding those bytes
    /// are fetched. The memory yielded may be the store's own; copy it to keep it.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(Cid cid, long offset = 0, long? length = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "length must not be negative");
        }
        var root = await UnixFsNode.LoadAsync(_store, cid, cancellationToken).ConfigureAwait(false);
        if (!root.IsFile)
        {
            throw new UnixFsPathNotFoundException(cid.ToString(), $"is a {root.Type}, not a file");
        }
        var start = (ulong)offset;
        var end = length is { } l ? start + (ulong)l : ulong.MaxValue;
        await foreach (var chunk in FileRangeReader.ReadAsync(_store, root, start, end, _options, cancellationToken).ConfigureAwait(false))
        {
            yield return chunk;
        }
    }

    /// <summary>A seekable read-only stream over file <paramref name="cid"/>.</summary>
    public async Task<Stream> OpenReadAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        var stat = await StatAsync(cid, cancellationToken).ConfigureAwait(false);
        if (stat.Type != UnixFsType.File)
        {
            throw new UnixFsPathNotFoundException(cid.ToString(), $"is a {stat.Type}, not a file");
        }
        if (stat.Size > long.MaxValue)
        {
            throw new MalformedDataException(UnixFsData.FormatName, $"{cid}: file size {stat.Size} is past what a stream can address");
        }
        return new UnixFsFileStream(this, cid, (long)stat.Size);
    }

    /// <summary>The entries of directory <paramref name="cid"/> (a HAMT is listed as one directory, in shard order).</summary>
    public async IAsyncEnumerable<UnixFsDirectoryEntry> ListAsync(Cid cid, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        var node = await UnixFsNode.LoadAsync(_store, cid, cancellationToken).ConfigureAwait(false);
        if (!node.IsDirectory)
        {
            throw new UnixFsPathNotFoundException(cid.ToString(), $"is a {node.Type}, not a directory");
        }
        await foreach (var entry in DirectoryReader.ListAsync(_store, node, _options, cancellationToken).ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    /// <summary>
    /// Resolves <paramref name="path"/> (components separated by '/') below <paramref name="root"/>
    /// to the CID it names. Throws <see cref="UnixFsPathNotFoundException"/> when an entry is
    /// missing or a component before the last is not a directory.
    /// </summary>
    public async Task<Cid> ResolveAsync(Cid root, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        var components = UnixFsPath.Split(path);
        if (components.Count > _options.MaxDepth)
        {
            throw new ArgumentException($"path has {components.Count} components, more than {_options.MaxDepth}", nameof(path));
        }
        var current = root;
        var walked = new StringBuilder(root.ToString());
        foreach (var name in components)
        {
            var node = await UnixFsNode.LoadAsync(_store, current, cancellationToken).ConfigureAwait(false);
            if (!node.IsDirectory)
            {
                throw new UnixFsPathNotFoundException(walked.ToString(), $"is a {node.Type}, not a directory");
            }
            walked.Append('/').Append(name);
            current = await DirectoryReader.FindAsync(_store, node, name, _options, cancellationToken).ConfigureAwait(false)
                ?? throw new UnixFsPathNotFoundException(walked.ToString(), "no such entry");
        }
        return current;
    }

    private static UnixFsStat Stat(UnixFsNode node, UnixFsType type, ulong size) =>
        new(node.Cid, type, size, null, node.Data?.Mode, node.Data?.ModificationTime);

    private static string SymlinkTarget(UnixFsNode node)
    {
        var bytes = node.Data?.Data ?? ReadOnlyMemory<byte>.Empty;
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.Span);
        }
        catch (DecoderFallbackException e)
        {
            throw new MalformedDataException(UnixFsData.FormatName, $"{node.Cid}: symlink target is not UTF-8", e);
        }
    }
}
