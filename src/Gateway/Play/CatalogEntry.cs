using Overlay.Manifest.Streams;

namespace Overlay.Gateway.Play;

/// <summary>One stream of <c>GET /catalog</c> (specs/gateway-hls.md §5).</summary>
internal sealed record CatalogEntry
{
    public required string Address { get; init; }

    public required string Title { get; init; }

    /// <summary>A growing stream (its newest head is not sealed).</summary>
    public required bool Live { get; init; }

    /// <summary>Published by this node rather than followed.</summary>
    public required bool Own { get; init; }

    /// <summary>CID of the newest verified head; null while none has arrived.</summary>
    public string? Head { get; init; }

    /// <summary>Bundles under the newest head (segments and init sections of every rendition).</summary>
    public long Segments { get; init; }

    /// <summary>Bundles verified and held on this node.</summary>
    public long Held { get; init; }

    /// <summary>Seconds of media in the first rendition, when every bundle is held; null otherwise.</summary>
    public double? Duration { get; init; }

    public IReadOnlyList<Rendition> Renditions { get; init; } = [];

    /// <summary>Peers on the stream's topic: they announce, hold or follow it.</summary>
    public IReadOnlyList<string> Peers { get; init; } = [];

    /// <summary>The playlist URL on this gateway.</summary>
    public required string Url { get; init; }
}
