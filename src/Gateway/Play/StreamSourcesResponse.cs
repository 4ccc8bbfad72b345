namespace Overlay.Gateway.Play;

/// <summary>
/// <c>GET /catalog/&lt;stream&gt;</c>: the stream's catalog entry and where the gateway's reads of it
/// came from, for the player page (specs/gateway-hls.md §5).
/// </summary>
internal sealed record StreamSourcesResponse
{
    public required CatalogEntry Stream { get; init; }

    /// <summary>Peers that said HAVE or sent a block of this stream to the gateway, most recent first.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>Blocks the gateway read from this node's repo.</summary>
    public long LocalBlocks { get; init; }

    /// <summary>Blocks the gateway fetched from peers (verified, then kept in the repo).</summary>
    public long FetchedBlocks { get; init; }

    public long FetchedBytes { get; init; }
}
