using System.Collections.Concurrent;

namespace Overlay.Gateway.Metrics;

/// <summary>
/// What the gateway itself counts, exported on <c>/metrics</c> next to the node's own metrics
/// (host, bitswap, pubsub, block store, streams). Routes of other files bump these directly:
/// the HLS segment route counts <see cref="SegmentsServed"/> and may time its fetches with a
/// <see cref="LatencyHistogram"/> of its own kind.
/// </summary>
public sealed class GatewayMetrics
{
    private readonly ConcurrentDictionary<(string Route, int Status), long> _responses = new();

    /// <summary>HLS segments answered (the segment route increments it).</summary>
    public GatewayCounter SegmentsServed { get; } = new();

    /// <summary>Body bytes the gateway's content routes wrote.</summary>
    public GatewayCounter BytesServed { get; } = new();

    /// <summary>Time to get a block the local store lacked: bitswap want to verified block.</summary>
    public LatencyHistogram NetworkFetchLatency { get; } = new();

    /// <summary>Time to read a block from the local store.</summary>
    public LatencyHistogram LocalFetchLatency { get; } = new();

    /// <summary>Blocks the gateway asked for that no peer sent within the bound.</summary>
    public GatewayCounter FetchTimeouts { get; } = new();

    /// <summary>Requests cut off mid-body because the upstream stalled or sent bad data.</summary>
    public GatewayCounter AbortedResponses { get; } = new();

    /// <summary>Requests refused by the Host-header check (DNS rebinding).</summary>
    public GatewayCounter HostRefusals { get; } = new();

    /// <summary>Responses by route group (<c>ipfs</c>, <c>ipns</c>, …) and HTTP status.</summary>
    public IReadOnlyDictionary<(string Route, int Status), long> Responses => _responses;

    public void Responded(string route, int status)
    {
        ArgumentException.ThrowIfNullOrEmpty(route);
        _responses.AddOrUpdate((route, status), 1, (_, n) => n + 1);
    }
}
