using System.Collections.Concurrent;

namespace Overlay.Streams;

/// <summary>
/// Counters of the stream service, across all streams: heads accepted, heads refused by reason
/// (<see cref="HeadRejection"/>), bundles verified and bundles refused by reason.
/// </summary>
public sealed class StreamMetrics
{
    private readonly ConcurrentDictionary<string, long> _headsRejected = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _bundlesRejected = new(StringComparer.Ordinal);
    private long _headsAccepted;
    private long _bundlesVerified;
    private long _messagesRejected;

    public long HeadsAccepted => Interlocked.Read(ref _headsAccepted);

    public long BundlesVerified => Interlocked.Read(ref _bundlesVerified);

    /// <summary>Control messages dropped before any head was looked at (malformed, oversized, over the rate).</summary>
    public long MessagesRejected => Interlocked.Read(ref _messagesRejected);

    /// <summary>Heads refused or ignored, by <see cref="HeadRejection"/> reason.</summary>
    public IReadOnlyDictionary<string, long> HeadsRejected => new Dictionary<string, long>(_headsRejected, StringComparer.Ordinal);

    /// <summary>Bundles that failed verification, by reason (signature, inclusion, payload, malformed, missing).</summary>
    public IReadOnlyDictionary<string, long> BundlesRejected => new Dictionary<string, long>(_bundlesRejected, StringComparer.Ordinal);

    public long HeadsRejectedFor(string reason) => _headsRejected.GetValueOrDefault(reason);

    public long BundlesRejectedFor(string reason) => _bundlesRejected.GetValueOrDefault(reason);

    internal void HeadAccepted() => Interlocked.Increment(ref _headsAccepted);

    internal void HeadRejected(string reason) => _headsRejected.AddOrUpdate(reason, 1, (_, n) => n + 1);

    internal void BundleVerified() => Interlocked.Increment(ref _bundlesVerified);

    internal void BundleRejected(string reason) => _bundlesRejected.AddOrUpdate(reason, 1, (_, n) => n + 1);

    internal void MessageRejected() => Interlocked.Increment(ref _messagesRejected);
}
