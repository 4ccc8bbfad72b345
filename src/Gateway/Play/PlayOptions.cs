namespace Overlay.Gateway.Play;

/// <summary>
/// How the gateway's HLS side waits, caches and fetches ahead (specs/gateway-hls.md §4). The
/// gateway sets the two waits from <see cref="GatewayOptions"/>, the bounds of every content route.
/// </summary>
public sealed record PlayOptions
{
    /// <summary>How long a request for a stream with no verified head yet waits for one before answering 504.</summary>
    public TimeSpan HeadWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one block (of a bundle, a page tree or a payload) may take to arrive: before the
    /// status line a miss answers 504; after it the connection is reset.
    /// </summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Segments in a live playlist's sliding window (RFC 8216 §6.2.2 wants at least three target durations).</summary>
    public int LiveWindow { get; init; } = 6;

    /// <summary>Media segments of the same rendition fetched ahead of each segment request.</summary>
    public int PrefetchAhead { get; init; } = 4;

    /// <summary>Cache lifetime of a live playlist: about a second, so players see the edge move.</summary>
    public TimeSpan LivePlaylistMaxAge { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cache lifetime of a sealed (VOD) playlist: it can only be re-signed, never changed.</summary>
    public TimeSpan VodPlaylistMaxAge { get; init; } = TimeSpan.FromMinutes(5);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeadWait, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FetchTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(LiveWindow, 3);
        ArgumentOutOfRangeException.ThrowIfNegative(PrefetchAhead);
    }
}
