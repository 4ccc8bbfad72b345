using System.Text.Json.Serialization;

namespace Overlay.Gateway.Peers;

/// <summary>One connected peer on <c>GET /peers</c>.</summary>
public sealed record PeerEntry
{
    [JsonPropertyName("ID")]
    public required string Id { get; init; }

    /// <summary>The address of each open connection to it.</summary>
    [JsonPropertyName("Connections")]
    public required IReadOnlyList<string> Connections { get; init; }

    /// <summary>Addresses it told identify it listens on.</summary>
    [JsonPropertyName("Addresses")]
    public required IReadOnlyList<string> Addresses { get; init; }

    [JsonPropertyName("Protocols")]
    public required IReadOnlyList<string> Protocols { get; init; }

    [JsonPropertyName("AgentVersion")]
    public string? AgentVersion { get; init; }

    /// <summary>Our last ping round trip, in milliseconds.</summary>
    [JsonPropertyName("LatencyMs")]
    public double? LatencyMs { get; init; }
}
