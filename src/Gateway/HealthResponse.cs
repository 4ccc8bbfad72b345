using System.Text.Json.Serialization;

namespace Overlay.Gateway;

/// <summary><c>GET /health</c> on the gateway: the node is up, who it is and how many peers it has.</summary>
public sealed record HealthResponse(
    [property: JsonPropertyName("Status")] string Status,
    [property: JsonPropertyName("ID")] string Id,
    [property: JsonPropertyName("Peers")] int Peers);
