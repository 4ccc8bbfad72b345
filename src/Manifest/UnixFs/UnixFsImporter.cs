// Spec: https://specs.ipfs.tech/unixfs/ ; profile: https://specs.ipfs.tech/ipips/ipip-0499/ (unixfs-v1-2025)
using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.UnixFs;

/// <summary>
/// Imports files and directory trees as UnixFS into an <see cref="IBlockStore"/>, giving the
/// same CIDs as Helia's and kubo's importers under the <c>unixfs-v1-2025</c> profile.
/// Files stream: one chunk is hashed and stored while the next is read, and the DAG above the
/// leaves holds at most one unfinished node per level, so memory does not grow with the file.
/// The chunk buffer is reused once <see cref="IBlockStore.PutAsync"/> returns, so a store must
/// copy (or finish writing) what it keeps before its put completes.
/// </summary>
public sealed class UnixFsImporter
{
    private readonly IBlockStore _store;
    private readonly UnixFsImportOptions _options;

    public UnixFsImporter(IBlockStore store, UnixFsImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= UnixFsImportOptions.Default;
        options.Validate();
        _store = store;
        _options = options;
    }

    /// <summary>Imports everything <paramref name="content"/> yields as one file.</summary>
    public async Task<UnixFsImportResult> ImportFileAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var chunkSize = _options.ChunkSize;
        var builder = new BalancedFileBuilder(_store, _options.MaxLinksPerNode);
        var current = ArrayPool<byte>.Shared.Rent(chunkSize);
        var next = ArrayPool<byte>.Shared.Rent(chunkSize);
        Task<int>? pendingRead = null;
        try
        {
            var filled = await FillAsync(content, current, chunkSize, cancellationToken).ConfigureAwait(false);
            long total = 0;
            while (true)
            {
                if (filled == chunkSize)
                {
                    // Read the next chunk on another thread while this one is hashed and stored;
                    // the capture is a copy because the two buffers swap below.
                    var target = next;
                    pendingRead = Task.Run(() => FillAsync(content, target, chunkSize, cancellationToken), cancellationToken);
                }
                // A first chunk of 0 bytes is the empty file: one empty raw leaf, as Helia writes it.
                await builder.AddLeafAsync(await PutLeafAsync(current.AsMemory(0, filled), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                total += filled;
                _options.Progress?.Report(total);
                if (pendingRead is null)
                {
                    break;
                }
                filled = await pendingRead.ConfigureAwait(false);
                pendingRead = null;
                (current, next) = (next, current);
                if (filled == 0)
                {
                    break;
                }
            }
            var root = await builder.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return new UnixFsImportResult(root.Cid, root.ContentSize, root.DagSize);
        }
        finally
        {
            if (pendingRead is not null)
            {
                // The read still writes into a pooled buffer: wait for it before returning the
                // buffer. Its own failure is moot, the exception already leaving wins.
                try
                {
                    await pendingRead.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Already failing or cancelled; this read's outcome changes nothing.
                }
            }
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    /// <summary>
    /// Imports a directory tree from the file system: files, subdirectories (empty ones too) and
    /// symlinks (stored as UnixFS symlinks, not followed); names starting with '.' are skipped
    /// unless <see cref="UnixFsImportOptions.IncludeHidden"/>.
    /// </summary>
    public async Task<UnixFsImportResult> ImportDirectoryAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var directory = new DirectoryInfo(path);
        if (!directory.Exists)
        {
            throw new DirectoryNotFoundException($"no directory at {path}");
        }
        var entries = new List<UnixFsDirectoryEntry>();
        foreach (var info in directory.EnumerateFileSystemInfos())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_options.IncludeHidden && info.Name.StartsWith('.'))
            {
                continue;
            }
            UnixFsImportResult child;
            if (info.LinkTarget is { } target)
            {
                child = await PutSymlinkAsync(target, cancellationToken).ConfigureAwait(false);
            }
            else if (info is DirectoryInfo subdirectory)
            {
                child = await ImportDirectoryAsync(subdirectory.FullName, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var stream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await using (stream.ConfigureAwait(false))
                {
                    child = await ImportFileAsync(stream, cancellationToken).ConfigureAwait(false);
                }
            }
            entries.Add(new UnixFsDirectoryEntry(info.Name, child.Cid, child.DagSize));
        }
        return await PutDirectoryAsync(entries, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a directory over already imported children: a flat UnixFS Directory node with
    /// links sorted by name bytes, or a HAMT when that node would pass the shard threshold.
    /// Names must be unique path components: non-empty, not "." or "..", without '/' or NUL.
    /// </summary>
    public Task<UnixFsImportResult> PutDirectoryAsync(IEnumerable<UnixFsDirectoryEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in list)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            UnixFsPath.ValidateName(entry.Name);
            if (!names.Add(entry.Name))
            {
                throw new ArgumentException($"duplicate directory entry '{entry.Name}'", nameof(entries));
            }
        }
        return DirectoryWriter.WriteAsync(_store, list, _options, cancellationToken);
    }

    /// <summary>Writes a UnixFS symlink node pointing at <paramref name="target"/>.</summary>
    public async Task<UnixFsImportResult> PutSymlinkAsync(string target, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        var data = new UnixFsData { Type = UnixFsType.Symlink, Data = Encoding.UTF8.GetBytes(target) }.Encode();
        var block = DagPb.DagPb.Encode(new DagPb.DagPbNode([], data));
        var cid = Cid.Compute(Multicodec.DagPb, block);
        await _store.PutAsync(cid, block, cancellationToken).ConfigureAwait(false);
        return new UnixFsImportResult(cid, 0, (ulong)block.Length);
    }

    private async ValueTask<BalancedFileBuilder.Node> PutLeafAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(chunk.Span, digest);
        var cid = Cid.CreateV1(Multicodec.Raw, Multihash.Create(Multicodec.Sha2_256, digest));
        await _store.PutAsync(cid, chunk, cancellationToken).ConfigureAwait(false);
        return new BalancedFileBuilder.Node(cid, (ulong)chunk.Length, (ulong)chunk.Length);
    }

    private static async Task<int> FillAsync(Stream source, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < count)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled, count - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }
}
