using System.Text.Json.Serialization;

namespace Overlay.Repo;

/// <summary>The <c>Pubsub</c> section of <see cref="RepoConfig"/>, named as kubo names it.</summary>
public sealed record PubsubConfig
{
    public const string Gossipsub = "gossipsub";
    public const string Floodsub = "floodsub";

    public static PubsubConfig Default { get; } = new() { Router = Gossipsub };

    /// <summary>
    /// <c>gossipsub</c> (the default; it also serves floodsub peers) or <c>floodsub</c>. Absent in
    /// configs written before pubsub ran in the node, which then get the default.
    /// </summary>
    [JsonPropertyName("Router")]
    public string? Router { get; init; }
}
