using System.Diagnostics;
using Overlay.Manifest.Multiformats;

namespace Overlay.Blocks;

public sealed partial class FileBlockStore
{
    /// <summary>
    /// Re-hashes every block file; the ones that do not match are quarantined. Blocks whose hash
    /// function this node cannot compute are reported, not moved.
    /// </summary>
    public async Task<BlockVerifyReport> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var index = _index.Value;
        var quarantined = new List<Cid>();
        var unverifiable = new List<Cid>();
        var count = 0;
        await foreach (var cid in ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!MultihashAlgorithm.TryGet(cid.Hash.Code, out _))
            {
                unverifiable.Add(cid);
                continue;
            }
            var path = PathOf(cid.Hash);
            var data = await TryReadAsync(path, cancellationToken).ConfigureAwait(false);
            if (data is null)
            {
                continue;
            }
            count++;
            if (!cid.Hash.Matches(data) && Quarantine(index, cid, path) is null)
            {
                quarantined.Add(cid);
            }
        }
        return new BlockVerifyReport(count, quarantined, unverifiable);
    }

    internal void Lease(Multihash hash)
    {
        var index = _index.Value;
        lock (index.Gate)
        {
            index.Lease(hash);
        }
    }

    internal void Release(Multihash hash)
    {
        var index = _index.Value;
        lock (index.Gate)
        {
            index.Release(hash);
        }
    }

    /// <summary>The put sequence a GC starts at: blocks put later are never collected by it.</summary>
    internal long BeginCollection()
    {
        var index = _index.Value;
        lock (index.Gate)
        {
            return index.Sequence;
        }
    }

    /// <summary>Every block the index knows, for GC's sweep.</summary>
    internal Multihash[] SnapshotBlocks()
    {
        var index = _index.Value;
        lock (index.Gate)
        {
            return index.Snapshot();
        }
    }

    /// <summary>
    /// Removes the block for GC unless it is leased or was put after <paramref name="gcStart"/>.
    /// The check and the unlink happen under the index's lock, so a put that re-uses the block
    /// either sees it gone (and writes it again) or marks it first (and GC skips it).
    /// </summary>
    internal bool TryCollect(Multihash hash, long gcStart, ISet<string> touchedShards)
    {
        var index = _index.Value;
        var path = PathOf(hash);
        lock (index.Gate)
        {
            if (!index.IsCollectable(hash, gcStart))
            {
                return false;
            }
            index.Remove(hash);
            if (!TryUnlink(path))
            {
                return false;
            }
        }
        touchedShards.Add(Path.GetDirectoryName(path)!);
        Metrics.GcRemove();
        return true;
    }

    /// <summary>Makes deletions durable once per folder rather than once per file.</summary>
    internal static void FlushFolders(IEnumerable<string> folders)
    {
        foreach (var folder in folders)
        {
            if (Directory.Exists(folder))
            {
                DirectorySync.Flush(folder);
            }
        }
    }

    /// <summary>
    /// Promises <paramref name="size"/> bytes to a put, evicting unpinned, unleased blocks (least
    /// recently used first, down to the low-water mark) when the quota would be passed.
    /// </summary>
    private async ValueTask ReserveAsync(BlockIndex index, long size, CancellationToken cancellationToken)
    {
        var max = Options.StorageMax;
        lock (index.Gate)
        {
            if (index.Bytes + index.Reserved + size <= max)
            {
                index.Reserve(size);
                return;
            }
        }
        var retention = Retention;
        using var held = retention is null ? null : await retention.LockAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlySet<Multihash> pinned = retention is null ? new HashSet<Multihash>() : await retention.ProtectedAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<IReadOnlySet<Multihash>> tiers = retention is null ? [] : await retention.TiersAsync(cancellationToken).ConfigureAwait(false);
        var lowWater = (long)(max * Options.LowWaterFraction);
        var shards = new HashSet<string>(StringComparer.Ordinal);
        var evicted = 0;
        long evictedBytes = 0;
        bool fits;
        long used;
        lock (index.Gate)
        {
            // Room may have been made (GC, another put's eviction) while this one waited for the gate.
            if (index.Bytes + index.Reserved + size <= max)
            {
                index.Reserve(size);
                return;
            }
            // Plain LRU first over blocks no pin and no tier keeps; then each tier in turn
            // (specs/repo.md §6), skipping what a pin or a later tier keeps.
            for (var pass = -1; pass < tiers.Count; pass++)
            {
                var keep = new HashSet<Multihash>(pinned);
                for (var later = pass + 1; later < tiers.Count; later++)
                {
                    keep.UnionWith(tiers[later]);
                }
                foreach (var (hash, blockSize) in index.EvictionOrder(keep, pass < 0 ? null : tiers[pass]))
                {
                    if (index.Bytes + index.Reserved + size <= lowWater)
                    {
                        break;
                    }
                    var path = PathOf(hash);
                    index.Remove(hash);
                    TryUnlink(path);
                    shards.Add(Path.GetDirectoryName(path)!);
                    evicted++;
                    evictedBytes += blockSize;
                    Metrics.Evict(blockSize);
                }
                if (index.Bytes + index.Reserved + size <= lowWater)
                {
                    break;
                }
            }
            used = index.Bytes + index.Reserved;
            fits = used + size <= max;
            if (fits)
            {
                index.Reserve(size);
            }
        }
        FlushFolders(shards);
        if (evicted > 0)
        {
            BlockStoreLog.Evicted(_logger, evicted, evictedBytes, max);
        }
        if (!fits)
        {
            Metrics.QuotaReject();
            BlockStoreLog.QuotaExceeded(_logger, size, max);
            throw new StorageQuotaExceededException(max, used, size);
        }
    }

    /// <summary>
    /// Moves a file whose bytes did not hash to <paramref name="cid"/> into the quarantine folder,
    /// after checking again under the lock (a good copy may have replaced it meanwhile: then that
    /// copy is the answer). Null: the caller reports the block missing.
    /// </summary>
    private byte[]? Quarantine(BlockIndex index, Cid cid, string path)
    {
        var created = !Directory.Exists(QuarantinePath);
        Directory.CreateDirectory(QuarantinePath);
        if (created)
        {
            DirectorySync.Flush(Path.GetDirectoryName(QuarantinePath) ?? QuarantinePath);
        }
        var target = Path.Combine(QuarantinePath, $"{KeyOf(cid.Hash)}{DataSuffix}.{DateTime.UtcNow.Ticks}");
        lock (index.Gate)
        {
            byte[] current;
            try
            {
                current = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                index.Remove(cid.Hash);
                return null;
            }
            if (cid.Hash.Matches(current))
            {
                index.TouchForRead(cid.Hash, current.Length);
                return current;
            }
            File.Move(path, target, overwrite: true);
            index.Remove(cid.Hash);
        }
        DirectorySync.Flush(QuarantinePath);
        DirectorySync.Flush(Path.GetDirectoryName(path)!);
        Metrics.Quarantine();
        BlockStoreLog.Quarantined(_logger, cid.ToString(), target);
        return null;
    }

    /// <summary>
    /// Builds the index from the folder: every well-named block file in its right shard (size and
    /// mtime from the directory listing), oldest mtime least recently used. Temporary files of
    /// puts that never finished are deleted; foreign names are left alone and not counted.
    /// </summary>
    private BlockIndex Scan()
    {
        var watch = Stopwatch.StartNew();
        var index = new BlockIndex();
        if (!Directory.Exists(Root))
        {
            return index;
        }
        var found = new List<(Multihash Hash, long Size, DateTime Modified)>();
        var stray = 0;
        foreach (var shard in new DirectoryInfo(Root).EnumerateDirectories())
        {
            foreach (var file in shard.EnumerateFiles())
            {
                if (file.Name.StartsWith(TempPrefix, StringComparison.Ordinal))
                {
                    file.Delete();
                    stray++;
                    Metrics.StrayFileRemoved();
                    continue;
                }
                if (TryParseFileName(file.Name, out var hash) && ShardOf(KeyOf(hash)) == shard.Name && KeyOf(hash) + DataSuffix == file.Name)
                {
                    found.Add((hash, file.Length, file.LastWriteTimeUtc));
                }
            }
        }
        found.Sort((a, b) => a.Modified.CompareTo(b.Modified));
        for (var i = 0; i < found.Count; i++)
        {
            index.AddScanned(found[i].Hash, found[i].Size, i + 1);
        }
        BlockStoreLog.Scanned(_logger, Root, index.Count, index.Bytes, watch.ElapsedMilliseconds, stray);
        return index;
    }
}
