namespace Overlay.Blocks;

/// <summary>
/// Counters of one <see cref="FileBlockStore"/> since it was opened. Each is updated with one
/// interlocked operation, so reading them never blocks a put.
/// </summary>
public sealed class BlockStoreMetrics
{
    private long _puts;
    private long _putBytes;
    private long _reads;
    private long _quarantined;
    private long _evicted;
    private long _evictedBytes;
    private long _gcRemoved;
    private long _quotaRejections;
    private long _strayFilesRemoved;

    /// <summary>Blocks written to disk (puts of a block already present are not counted).</summary>
    public long Puts => Interlocked.Read(ref _puts);

    public long PutBytes => Interlocked.Read(ref _putBytes);

    /// <summary>Verified reads served from disk.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Files whose bytes did not hash to their name, moved to the quarantine folder.</summary>
    public long Quarantined => Interlocked.Read(ref _quarantined);

    /// <summary>Blocks removed to make room under the byte quota.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    public long EvictedBytes => Interlocked.Read(ref _evictedBytes);

    /// <summary>Blocks removed by garbage collection.</summary>
    public long GcRemoved => Interlocked.Read(ref _gcRemoved);

    /// <summary>Puts refused because nothing could be evicted to make room.</summary>
    public long QuotaRejections => Interlocked.Read(ref _quotaRejections);

    /// <summary>Temporary files of puts that never finished (a crash), deleted by the opening scan.</summary>
    public long StrayFilesRemoved => Interlocked.Read(ref _strayFilesRemoved);

    internal void Put(long bytes)
    {
        Interlocked.Increment(ref _puts);
        Interlocked.Add(ref _putBytes, bytes);
    }

    internal void Read() => Interlocked.Increment(ref _reads);

    internal void Quarantine() => Interlocked.Increment(ref _quarantined);

    internal void Evict(long bytes)
    {
        Interlocked.Increment(ref _evicted);
        Interlocked.Add(ref _evictedBytes, bytes);
    }

    internal void GcRemove() => Interlocked.Increment(ref _gcRemoved);

    internal void QuotaReject() => Interlocked.Increment(ref _quotaRejections);

    internal void StrayFileRemoved() => Interlocked.Increment(ref _strayFilesRemoved);
}
