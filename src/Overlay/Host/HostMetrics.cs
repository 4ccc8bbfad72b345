using System.Collections.Concurrent;

namespace Overlay.Host;

/// <summary>Counters the gateway exports on /metrics; every refusal is counted by reason.</summary>
public sealed class HostMetrics
{
    private readonly ConcurrentDictionary<string, long> _refusals = new();
    private long _connectionsOpened;
    private long _streamsOpened;

    public long ConnectionsOpened => Interlocked.Read(ref _connectionsOpened);

    public long StreamsOpened => Interlocked.Read(ref _streamsOpened);

    public IReadOnlyDictionary<string, long> Refusals => _refusals;

    internal void ConnectionOpened() => Interlocked.Increment(ref _connectionsOpened);

    internal void StreamOpened() => Interlocked.Increment(ref _streamsOpened);

    internal void Refused(string reason) => _refusals.AddOrUpdate(reason, 1, (_, n) => n + 1);
}
