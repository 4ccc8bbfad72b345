namespace Overlay.Streams;

/// <summary>Timings and bounds of the stream service (specs/stream-protocol.md §4-§5).</summary>
public sealed record StreamServiceOptions
{
    /// <summary>How long a follower waits for a HEAD before it sends a REQUEST (and between REQUESTs).</summary>
    public TimeSpan RequestDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a holder of a head announces it again (HEAD from the publisher, HAVE from followers).</summary>
    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Least time between two HEAD answers to REQUESTs for one stream.</summary>
    public TimeSpan AnswerInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Pause before fetching bundles that failed again.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Bundles fetched and verified at once.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>
    /// Newest leaves of a growing head fetched first (the live edge, in seq order), before the
    /// older ones: 8 bundles, 16 s of 2 s segments, a little more than an HLS player's window.
    /// </summary>
    public int LiveWindow { get; init; } = 8;

    /// <summary>Control messages accepted per sending peer per stream per second; more are ignored.</summary>
    public int MessagesPerPeerPerSecond { get; init; } = 20;

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
