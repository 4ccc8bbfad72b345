using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary><c>/api/v0/swarm/peers</c>: one entry per open connection.</summary>
public sealed record SwarmPeersResponse(
    [property: JsonPropertyName("Peers")] IReadOnlyList<SwarmPeer> Peers);
