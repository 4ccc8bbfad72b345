// Layout follows kubo's flatfs: https://github.com/ipfs/go-ds-flatfs (next-to-last/2 sharding, "<KEY>.data" files).
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Blocks;

/// <summary>
/// Blocks as one file each, named like kubo's flatfs: the RFC 4648 base32 (upper case, no
/// padding) of the multihash plus ".data", in a shard folder named by the two characters before
/// the key's last one. Writes go to a temporary file in the shard folder, are fsynced, renamed
/// into place and the folder is fsynced, so a crash leaves either the whole block or nothing,
/// and a put that returned is durable. Reads re-hash the bytes; a file that does not match is
/// moved to the quarantine folder (kept for inspection), counted, logged and reported missing,
/// so a network-backed reader fetches a good copy and the bad bytes are never served.
/// Identity CIDs carry their bytes inline: like kubo's blockstore, they are always "present",
/// read from the CID itself, and never written to disk.
/// <para>
/// An in-memory index (built by one scan of the folder on first use) keeps the byte total,
/// an LRU order and the leases of <see cref="BeginOperation"/>; a put that would pass
/// <see cref="BlockStoreOptions.StorageMax"/> first evicts unpinned, unleased blocks, least
/// recently used first, down to the low-water mark, or fails with
/// <see cref="StorageQuotaExceededException"/>.
/// </para>
/// </summary>
public sealed partial class FileBlockStore : IBlockStore
{
    /// <summary>The SHARDING file's content in a kubo flatfs folder.</summary>
    public const string ShardingDescriptor = "/repo/flatfs/shard/v1/next-to-last/2";

    private const string DataSuffix = ".data";
    private const string TempPrefix = ".put-";
    private const int ShardLength = 2;

    private readonly Lazy<BlockIndex> _index;
    private readonly ILogger _logger;

    public FileBlockStore(string root, BlockStoreOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        Options = options ?? new BlockStoreOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.StorageMax);
        QuarantinePath = Path.GetFullPath(Options.QuarantinePath ?? Path.Combine(Path.GetDirectoryName(Root) ?? Root, "quarantine"));
        _logger = logger ?? NullLogger.Instance;
        _index = new Lazy<BlockIndex>(Scan, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Root { get; }

    public BlockStoreOptions Options { get; }

    public string QuarantinePath { get; }

    public BlockStoreMetrics Metrics { get; } = new();

    /// <summary>Bytes of the blocks on disk (scans the folder on first use).</summary>
    public long SizeInBytes
    {
        get
        {
            var index = _index.Value;
            lock (index.Gate)
            {
                return index.Bytes;
            }
        }
    }

    /// <summary>Blocks on disk (scans the folder on first use).</summary>
    public int Count
    {
        get
        {
            var index = _index.Value;
            lock (index.Gate)
            {
                return index.Count;
            }
        }
    }

    /// <summary>What eviction must keep (the repo's pins); none when unset.</summary>
    internal IBlockRetention? Retention { get; set; }

    /// <summary>Creates the root folder and its SHARDING file when absent.</summary>
    public void EnsureCreated()
    {
        Directory.CreateDirectory(Root);
        var sharding = Path.Combine(Root, "SHARDING");
        if (!File.Exists(sharding))
        {
            DurableFile.Write(Root, "SHARDING", System.Text.Encoding.ASCII.GetBytes(ShardingDescriptor + "\n"));
        }
    }

    /// <summary>Starts an operation whose blocks GC and eviction leave alone until it is disposed; see <see cref="BlockOperation"/>.</summary>
    public BlockOperation BeginOperation() => new(this);

    /// <summary>The flatfs key of a multihash: base32 upper case without padding.</summary>
    public static string KeyOf(Multihash hash) => Multibase.EncodeBare(hash.Bytes, MultibaseEncoding.Base32Upper);

    /// <summary>Where the block with <paramref name="hash"/> lives, relative to <see cref="Root"/>.</summary>
    public static string RelativePathOf(Multihash hash)
    {
        var key = KeyOf(hash);
        return Path.Combine(ShardOf(key), key + DataSuffix);
    }

    /// <exception cref="StorageQuotaExceededException">The block does not fit and nothing can be evicted.</exception>
    public async ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        if (IsIdentity(cid))
        {
            return;
        }
        var index = _index.Value;
        lock (index.Gate)
        {
            if (index.TryTouchForPut(cid.Hash))
            {
                return;
            }
        }
        await ReserveAsync(index, data.Length, cancellationToken).ConfigureAwait(false);
        var written = false;
        try
        {
            await WriteAsync(PathOf(cid.Hash), data, cancellationToken).ConfigureAwait(false);
            written = true;
            Metrics.Put(data.Length);
        }
        finally
        {
            lock (index.Gate)
            {
                index.Complete(cid.Hash, data.Length, written);
            }
        }
    }

    /// <summary>The verified bytes; null when absent or when the file was corrupt (it is quarantined).</summary>
    /// <exception cref="VerificationException">The CID's hash function is not one this node can compute.</exception>
    public async ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        if (IsIdentity(cid))
        {
            return cid.Hash.Digest.ToArray();
        }
        if (!MultihashAlgorithm.TryGet(cid.Hash.Code, out _))
        {
            throw new VerificationException($"block {cid}: hash function {Multicodec.NameOf(cid.Hash.Code)} cannot be verified here");
        }
        var path = PathOf(cid.Hash);
        var data = await TryReadAsync(path, cancellationToken).ConfigureAwait(false);
        // A read never builds the index itself: an offline `cat` must not scan the whole repo
        // first. Once a put, GC or the daemon has built it, reads keep its counts and LRU order.
        var index = _index.IsValueCreated ? _index.Value : null;
        if (data is null)
        {
            if (index is not null)
            {
                lock (index.Gate)
                {
                    // Removed behind our back: stop counting it.
                    index.Remove(cid.Hash);
                }
            }
            return null;
        }
        if (!cid.Hash.Matches(data))
        {
            // Not `return Quarantine(…)`: a null byte[] converts to an empty, non-null ReadOnlyMemory.
            return Quarantine(_index.Value, cid, path) is { } replaced ? replaced : (ReadOnlyMemory<byte>?)null;
        }
        if (index is not null)
        {
            lock (index.Gate)
            {
                index.TouchForRead(cid.Hash, data.Length);
            }
        }
        Metrics.Read();
        return data;
    }

    /// <summary>Whether a file is there; its bytes are only checked when read.</summary>
    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        return ValueTask.FromResult(IsIdentity(cid) || File.Exists(PathOf(cid.Hash)));
    }

    public ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        if (IsIdentity(cid))
        {
            return ValueTask.FromResult<int?>(cid.Hash.DigestLength);
        }
        var file = new FileInfo(PathOf(cid.Hash));
        return ValueTask.FromResult<int?>(file.Exists ? checked((int)file.Length) : null);
    }

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        if (IsIdentity(cid))
        {
            return ValueTask.CompletedTask;
        }
        var index = _index.Value;
        var path = PathOf(cid.Hash);
        bool deleted;
        lock (index.Gate)
        {
            deleted = TryUnlink(path);
            index.Remove(cid.Hash);
        }
        if (deleted)
        {
            DirectorySync.Flush(Path.GetDirectoryName(path)!);
        }
        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<Cid> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(Root))
        {
            yield break;
        }
        foreach (var shard in Directory.EnumerateDirectories(Root))
        {
            foreach (var file in Directory.EnumerateFiles(shard, "*" + DataSuffix))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (TryParseFileName(Path.GetFileName(file), out var hash))
                {
                    yield return Cid.CreateV1(Multicodec.Raw, hash);
                }
            }
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static bool IsIdentity(Cid cid) => cid.Hash.Code == Multicodec.Identity;

    private string PathOf(Multihash hash) => Path.Combine(Root, RelativePathOf(hash));

    /// <summary>flatfs's next-to-last/2: the two characters before the last, padded with '_' for short keys.</summary>
    private static string ShardOf(string key)
    {
        var padded = key.Length < ShardLength + 1 ? key.PadLeft(ShardLength + 1, '_') : key;
        return padded.Substring(padded.Length - ShardLength - 1, ShardLength);
    }

    /// <summary>Files that are not ours (a stray copy, another tool's name) are skipped, not fatal.</summary>
    private static bool TryParseFileName(string name, out Multihash hash)
    {
        hash = null!;
        if (!name.EndsWith(DataSuffix, StringComparison.Ordinal))
        {
            return false;
        }
        var key = name[..^DataSuffix.Length];
        if (key.Length == 0 || key.Any(c => c is not (>= 'A' and <= 'Z') and not (>= '2' and <= '7')))
        {
            return false;
        }
        try
        {
            hash = Multihash.Decode(Multibase.DecodeBare(key, MultibaseEncoding.Base32Upper));
            return true;
        }
        catch (MalformedDataException)
        {
            return false;
        }
    }

    private async Task WriteAsync(string path, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var shard = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(shard))
        {
            Directory.CreateDirectory(shard);
            // The new shard folder's own entry lives in the root; sync it too or the block can vanish with it.
            DirectorySync.Flush(Root);
        }
        var temp = Path.Combine(shard, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try
            {
                TryUnlink(temp);
            }
            catch (IOException)
            {
                // The original failure is the one worth reporting; a leftover temp file is removed by the next opening scan.
            }
            throw;
        }
        DirectorySync.Flush(shard);
    }

    private static async Task<byte[]?> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Deletes a file; false when it was not there. Other failures (permissions) are worth reporting.</summary>
    private static bool TryUnlink(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }
            File.Delete(path);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }
}
