using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary><c>/api/v0/id</c>: kubo's <c>ipfs id</c> fields. Addresses end in /p2p/&lt;ID&gt;.</summary>
public sealed record IdResponse
{
    [JsonPropertyName("ID")]
    public required string Id { get; init; }

    /// <summary>The libp2p public-key protobuf, base64; null when the peer's key is not known.</summary>
    [JsonPropertyName("PublicKey")]
    public string? PublicKey { get; init; }

    [JsonPropertyName("Addresses")]
    public required IReadOnlyList<string> Addresses { get; init; }

    [JsonPropertyName("AgentVersion")]
    public string? AgentVersion { get; init; }

    [JsonPropertyName("Protocols")]
    public required IReadOnlyList<string> Protocols { get; init; }
}
