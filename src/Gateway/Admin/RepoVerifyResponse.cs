using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary><c>/api/v0/repo/verify</c>: how many blocks were re-hashed and which were quarantined or could not be checked.</summary>
public sealed record RepoVerifyResponse
{
    [JsonPropertyName("Checked")]
    public required int Checked { get; init; }

    [JsonPropertyName("Quarantined")]
    public required IReadOnlyList<string> Quarantined { get; init; }

    [JsonPropertyName("Unverifiable")]
    public required IReadOnlyList<string> Unverifiable { get; init; }
}
