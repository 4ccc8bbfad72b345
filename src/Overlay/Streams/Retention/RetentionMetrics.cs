namespace Overlay.Streams.Retention;

/// <summary>Counters of the expiry reaper.</summary>
public sealed class RetentionMetrics
{
    private long _reaped;
    private long _blocksRemoved;
    private long _lost;

    /// <summary>Held bundles whose lifetime ended and that were dropped.</summary>
    public long BundlesReaped => Interlocked.Read(ref _reaped);

    /// <summary>Blocks of reaped bundles removed from the repo (shared or pinned ones stay).</summary>
    public long BlocksRemoved => Interlocked.Read(ref _blocksRemoved);

    /// <summary>Held bundles found without their blocks (evicted under quota) and dropped from the held set.</summary>
    public long BundlesLost => Interlocked.Read(ref _lost);

    internal void Reaped(int bundles, int blocks)
    {
        Interlocked.Add(ref _reaped, bundles);
        Interlocked.Add(ref _blocksRemoved, blocks);
    }

    internal void Lost() => Interlocked.Increment(ref _lost);
}
