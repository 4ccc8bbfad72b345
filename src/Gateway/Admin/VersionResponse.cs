using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary><c>/api/v0/version</c>: the same fields as <c>overlay version --json</c>.</summary>
public sealed record VersionResponse
{
    [JsonPropertyName("Version")]
    public required string Version { get; init; }

    [JsonPropertyName("Repo")]
    public required string Repo { get; init; }

    [JsonPropertyName("System")]
    public required string System { get; init; }

    [JsonPropertyName("Runtime")]
    public required string Runtime { get; init; }
}
