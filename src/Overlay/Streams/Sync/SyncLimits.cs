// Spec: specs/sync.md §3 (limits).
using Overlay.Manifest.Streams;

namespace Overlay.Streams.Sync;

/// <summary>The bounds of <c>/overlay/sync/1.0.0</c>; each is checked before the bytes it limits are read.</summary>
public static class SyncLimits
{
    /// <summary>Streams one summary lists; a node holding more lists its first ones in push order.</summary>
    public const int MaxSummaryEntries = 64;

    /// <summary>Held ranges per summary entry, as a HAVE (specs/stream-protocol.md §3).</summary>
    public const int MaxRangesPerEntry = 64;

    /// <summary>A summary: 64 entries of a full head (8 192 bytes) and 64 ranges (≤ 19 bytes each) plus envelopes.</summary>
    public const int MaxSummaryBytes = MaxSummaryEntries * (StreamLimits.MaxHeadBytes + MaxRangesPerEntry * 19 + 32) + 64;

    /// <summary>
    /// A push frame: a block of at most 2 MiB (the largest block bitswap moves, so every block a
    /// follower could fetch can also be pushed) plus its envelope.
    /// </summary>
    public const int MaxBlockBytes = 2 * 1024 * 1024;

    public const int MaxFrameBytes = MaxBlockBytes + 64;

    /// <summary>Sessions answered at once (each re-verifies what it pushes): one per peer, and this many in all.</summary>
    public const int MaxServedSessions = 16;

    /// <summary>Blocks received but not yet verified into a held bundle, per session.</summary>
    public const long MaxStagedBytes = 64L * 1024 * 1024;
}
