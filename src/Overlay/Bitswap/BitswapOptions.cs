namespace Overlay.Bitswap;

/// <summary>Bounds and timings of bitswap; the defaults suit a desktop node on a LAN or the internet.</summary>
public sealed record BitswapOptions
{
    public static BitswapOptions Default { get; } = new();

    /// <summary>Wants we keep for one peer (boxo's MaxQueuedWantlistEntiresPerPeer); more are ignored and counted.</summary>
    public int MaxLedgerEntriesPerPeer { get; init; } = 1024;

    /// <summary>
    /// Wants <see cref="Client.BitswapClient.GetBlocksAsync"/> and <see cref="DagFetcher"/> keep in
    /// flight: enough 1 MiB blocks to fill a fast link's round trip, well under a peer's ledger cap.
    /// </summary>
    public int MaxOutstandingWants { get; init; } = 128;

    /// <summary>A peer asked for a block that has not sent it by then is passed over for that block.</summary>
    public TimeSpan BlockTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A want nobody is serving is asked of every connected peer again after this long.</summary>
    public TimeSpan RebroadcastInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the client checks its wants for the two timeouts above.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Peers of a session that get a want-have besides the one asked for the block.</summary>
    public int SessionFanout { get; init; } = 4;

    /// <summary>Violations (bad or unrequested blocks, malformed or oversized messages) before a peer is cut off.</summary>
    public int MaxStrikes { get; init; } = 5;

    /// <summary>How long a cut-off peer's bitswap streams and connections are refused.</summary>
    public TimeSpan BanDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Block messages (each up to 4 MiB) queued per peer before the server waits: bounds memory per peer.</summary>
    public int SendQueueLength { get; init; } = 4;

    /// <summary>An outbound stream stays open this long after its last message, so bursts share one stream.</summary>
    public TimeSpan StreamLinger { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>An inbound stream that sends no message for this long is closed.</summary>
    public TimeSpan InboundIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A want-have for a block this small is answered with the block (boxo and Helia use 1024).</summary>
    public int ReplaceHaveWithBlockSize { get; init; } = 1024;

    /// <summary>Recently finished wants remembered, so a block that crosses our cancel is a duplicate, not a violation.</summary>
    public int RecentWantsRemembered { get; init; } = 4096;
}
