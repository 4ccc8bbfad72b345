namespace Overlay.Bitswap;

/// <summary>The reasons <see cref="BitswapMetrics.Rejected"/> counts by.</summary>
public static class BitswapRejectReason
{
    /// <summary>A block whose bytes hash to a CID nobody wants (a tampered block looks exactly like this).</summary>
    public const string UnrequestedBlock = "unrequested-block";

    /// <summary>A block hashed with a function we cannot compute, so it cannot be verified.</summary>
    public const string UnverifiableBlock = "unverifiable-block";

    /// <summary>A message that breaks the protobuf schema.</summary>
    public const string MalformedMessage = "malformed-message";

    /// <summary>A message, block, CID or list past a limit of <see cref="Messages.BitswapLimits"/>; refused before allocation.</summary>
    public const string LimitExceeded = "limit-exceeded";

    /// <summary>A want beyond <see cref="BitswapOptions.MaxLedgerEntriesPerPeer"/>; ignored.</summary>
    public const string LedgerFull = "ledger-full";

    /// <summary>A stream or connection of a peer serving a ban.</summary>
    public const string BannedPeer = "banned-peer";

    /// <summary>An inbound stream idle past <see cref="BitswapOptions.InboundIdleTimeout"/>.</summary>
    public const string IdleStream = "idle-stream";
}
