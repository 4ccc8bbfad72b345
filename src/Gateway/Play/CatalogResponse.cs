namespace Overlay.Gateway.Play;

/// <summary><c>GET /catalog</c>: every stream the node publishes or follows, by address.</summary>
internal sealed record CatalogResponse(IReadOnlyList<CatalogEntry> Streams);
