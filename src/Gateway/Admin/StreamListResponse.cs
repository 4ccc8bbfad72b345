namespace Overlay.Gateway.Admin;

/// <summary><c>/api/v0/stream/ls</c>: every stream the node publishes or follows, by address.</summary>
public sealed record StreamListResponse(IReadOnlyList<StreamEntry> Streams);
