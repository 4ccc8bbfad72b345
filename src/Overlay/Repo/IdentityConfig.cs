using System.Text.Json.Serialization;

namespace Overlay.Repo;

/// <summary>The <c>Identity</c> section of <see cref="RepoConfig"/>.</summary>
public sealed record IdentityConfig
{
    /// <summary>The node's peer ID (<c>12D3KooW…</c>), derived from the key in the identity key file.</summary>
    [JsonPropertyName("PeerID")]
    public required string PeerId { get; init; }
}
