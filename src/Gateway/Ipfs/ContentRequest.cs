using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Ipfs;

/// <summary>
/// One content request once its root is known: the parsed path, the CID of every step from the
/// root to the terminal (X-Ipfs-Roots), and the cache lifetime (immutable for /ipfs, the
/// record's TTL for /ipns).
/// </summary>
internal sealed record ContentRequest(ContentPath Path, Cid Root, ResponseFormat Format, string CacheControl)
{
    public List<Cid> Roots { get; } = [Root];

    /// <summary>Segments to walk below <see cref="Root"/>: the record's own path, if any, then the request's.</summary>
    public IReadOnlyList<string> Segments { get; init; } = Path.Segments;

    public Cid Terminal => Roots[^1];

    /// <summary>The last path segment, for content types and file names; null at the root.</summary>
    public string? Name => Segments.Count > 0 ? Segments[^1] : null;
}
