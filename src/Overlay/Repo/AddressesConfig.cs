using System.Text.Json.Serialization;

namespace Overlay.Repo;

/// <summary>The <c>Addresses</c> section of <see cref="RepoConfig"/>, as multiaddrs like kubo's.</summary>
public sealed record AddressesConfig
{
    /// <summary>libp2p on TCP 7778 on every interface; gateway 7777 and admin RPC 7779 on loopback only (BRIEF §6, §7).</summary>
    public static AddressesConfig Default { get; } = new()
    {
        Swarm = ["/ip4/0.0.0.0/tcp/7778"],
        Gateway = "/ip4/127.0.0.1/tcp/7777",
        Api = "/ip4/127.0.0.1/tcp/7779",
    };

    /// <summary>Where libp2p listens.</summary>
    [JsonPropertyName("Swarm")]
    public required IReadOnlyList<string> Swarm { get; init; }

    /// <summary>Where the HTTP gateway listens.</summary>
    [JsonPropertyName("Gateway")]
    public required string Gateway { get; init; }

    /// <summary>Where the admin RPC for the CLI listens.</summary>
    [JsonPropertyName("API")]
    public required string Api { get; init; }
}
