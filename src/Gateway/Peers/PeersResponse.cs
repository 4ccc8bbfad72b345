using System.Text.Json.Serialization;

namespace Overlay.Gateway.Peers;

/// <summary><c>GET /peers</c>: who this node is and the peers it is connected to.</summary>
public sealed record PeersResponse(
    [property: JsonPropertyName("ID")] string Id,
    [property: JsonPropertyName("Peers")] IReadOnlyList<PeerEntry> Peers);
