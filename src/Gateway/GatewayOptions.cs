using Overlay.Manifest.Errors;
using Overlay.Repo;

namespace Overlay.Gateway;

/// <summary>Bounds of the gateway's content routes.</summary>
public sealed record GatewayOptions
{
    /// <summary>
    /// How long a request may look for its content before the first byte: past it the answer is
    /// 504. 20 s: long enough for a cold fetch a few hops away, short enough that a player or
    /// client retries instead of hanging.
    /// </summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long one block may take once the body is under way; a stall past it aborts the
    /// response (a reset, never a clean short 200).
    /// </summary>
    public TimeSpan BlockTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Blocks a file response reads ahead of the one being sent (the UnixFS reader's look-ahead),
    /// so a fetch over bitswap keeps wants in flight. Each response holds up to this many + 1
    /// blocks (1 MiB each as files are imported), so it bounds memory per reader: with 20
    /// readers of one 64 MiB file the daemon's peak RSS measured ~0.75–1 GB at 8 and
    /// ~0.45–0.6 GB at 4 (the RPC's cat uses 8 for single big transfers; bench/analysis.md).
    /// </summary>
    public int ReadAhead { get; init; } = 4;

    /// <summary>How long <c>/ipns/</c> waits for a record of a name this node has never seen.</summary>
    public TimeSpan NameResolveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The defaults, with the bounds the repo config's <c>Gateway</c> section sets.</summary>
    /// <exception cref="MalformedDataException">A bound is not a positive number of seconds up to an hour.</exception>
    public static GatewayOptions From(GatewayConfig? config)
    {
        var options = new GatewayOptions();
        if (config?.FetchTimeoutSeconds is { } fetch)
        {
            options = options with { FetchTimeout = Seconds(fetch, "Gateway.FetchTimeoutSeconds") };
        }
        if (config?.BlockTimeoutSeconds is { } block)
        {
            options = options with { BlockTimeout = Seconds(block, "Gateway.BlockTimeoutSeconds") };
        }
        return options;
    }

    private static TimeSpan Seconds(double value, string key) =>
        value is > 0 and <= 3600 ? TimeSpan.FromSeconds(value) : throw new MalformedDataException("repo config", $"{key} is {value}: it must be more than 0 and at most 3600 seconds");
}
