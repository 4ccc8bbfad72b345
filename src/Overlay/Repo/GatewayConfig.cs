using System.Text.Json.Serialization;

namespace Overlay.Repo;

/// <summary>
/// The optional <c>Gateway</c> section of <see cref="RepoConfig"/>: the gateway's bounds, in
/// seconds. Absent keys (and configs written before the section existed) take the gateway's defaults.
/// </summary>
public sealed record GatewayConfig
{
    /// <summary>How long a request may look for its content before answering 504.</summary>
    [JsonPropertyName("FetchTimeoutSeconds")]
    public double? FetchTimeoutSeconds { get; init; }

    /// <summary>How long one block may stall mid-response before the response is aborted.</summary>
    [JsonPropertyName("BlockTimeoutSeconds")]
    public double? BlockTimeoutSeconds { get; init; }
}
