using System.Collections.Concurrent;

namespace Overlay.Host;

/// <summary>Counters the gateway exports on /metrics; every refusal is counted by reason.</summary>
public sealed class HostMetrics
{
    private readonly ConcurrentDictionary<string, long> _refusals = new();
    private readonly ConcurrentDictionary<string, long> _disconnects = new();
    private long _connectionsOpened;
    private long _streamsOpened;

    public long ConnectionsOpened => Interlocked.Read(ref _connectionsOpened);

    public long StreamsOpened => Interlocked.Read(ref _streamsOpened);

    /// <summary>Connections and streams refused before use, by reason (e.g. <c>noise-bad-signature</c>, <c>handshake-timeout</c>, <c>stream-negotiation-failed</c>).</summary>
    public IReadOnlyDictionary<string, long> Refusals => _refusals;

    /// <summary>Established connections that ended, by reason (e.g. <c>local</c>, <c>remote-go-away</c>, <c>protocol-violation</c>, <c>noise-decryption-failed</c>).</summary>
    public IReadOnlyDictionary<string, long> Disconnects => _disconnects;

    internal void ConnectionOpened() => Interlocked.Increment(ref _connectionsOpened);

    internal void StreamOpened() => Interlocked.Increment(ref _streamsOpened);

    internal void Refused(string reason) => _refusals.AddOrUpdate(reason, 1, (_, n) => n + 1);

    internal void Disconnected(string reason) => _disconnects.AddOrUpdate(reason, 1, (_, n) => n + 1);
}
