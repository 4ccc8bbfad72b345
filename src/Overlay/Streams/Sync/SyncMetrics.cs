using System.Collections.Concurrent;

namespace Overlay.Streams.Sync;

/// <summary>Counters of delay-tolerant sync: sessions, what was pushed and taken, and refusals by <see cref="SyncRejection"/> reason.</summary>
public sealed class SyncMetrics
{
    private readonly ConcurrentDictionary<string, long> _refused = new(StringComparer.Ordinal);
    private long _sessionsOpened;
    private long _sessionsServed;
    private long _sessionsEnded;
    private long _bundlesPushed;
    private long _bundlesTaken;
    private long _bytesPushed;
    private long _bytesTaken;

    /// <summary>Sync streams this node opened (it sent a summary and took pushes).</summary>
    public long SessionsOpened => Interlocked.Read(ref _sessionsOpened);

    /// <summary>Sessions this node opened that have ended (end frame, a cut link, a refusal or the time limit).</summary>
    public long SessionsEnded => Interlocked.Read(ref _sessionsEnded);

    /// <summary>Sync streams this node answered (it read a summary and pushed).</summary>
    public long SessionsServed => Interlocked.Read(ref _sessionsServed);

    public long BundlesPushed => Interlocked.Read(ref _bundlesPushed);

    /// <summary>Pushed bundles verified and held.</summary>
    public long BundlesTaken => Interlocked.Read(ref _bundlesTaken);

    public long BytesPushed => Interlocked.Read(ref _bytesPushed);

    public long BytesTaken => Interlocked.Read(ref _bytesTaken);

    public IReadOnlyDictionary<string, long> Refused => new Dictionary<string, long>(_refused, StringComparer.Ordinal);

    public long RefusedFor(string reason) => _refused.GetValueOrDefault(reason);

    internal void SessionOpened() => Interlocked.Increment(ref _sessionsOpened);

    internal void SessionEnded() => Interlocked.Increment(ref _sessionsEnded);

    internal void SessionServed() => Interlocked.Increment(ref _sessionsServed);

    internal void Pushed(long bytes)
    {
        Interlocked.Increment(ref _bundlesPushed);
        Interlocked.Add(ref _bytesPushed, bytes);
    }

    internal void Taken(long bytes)
    {
        Interlocked.Increment(ref _bundlesTaken);
        Interlocked.Add(ref _bytesTaken, bytes);
    }

    internal void Refuse(string reason) => _refused.AddOrUpdate(reason, 1, (_, n) => n + 1);
}
