namespace Overlay.Host;

/// <summary>Resource limits of a host; the defaults follow go-libp2p's resource manager for a small node.</summary>
public sealed record ConnectionLimits
{
    /// <summary>Connections of all peers together.</summary>
    public int MaxConnections { get; init; } = 512;

    /// <summary>A second connection to the same peer is allowed (simultaneous dials), a third is not.</summary>
    public int MaxConnectionsPerPeer { get; init; } = 2;

    /// <summary>
    /// Inbound connections still in their handshake; past this the oldest handshake is cut to
    /// make room, so stallers cannot lock honest peers out (each is also cut after UpgradeTimeout).
    /// </summary>
    public int MaxPendingInbound { get; init; } = 64;

    /// <summary>Inbound streams per connection whose handler is still running.</summary>
    public int MaxInboundStreamsPerConnection { get; init; } = 256;
}
