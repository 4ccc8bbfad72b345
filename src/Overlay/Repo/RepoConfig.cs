using System.Text.Json.Serialization;

namespace Overlay.Repo;

/// <summary>
/// The repo's <c>config.json</c>, shaped like kubo's config so its keys read familiarly
/// (<c>Identity.PeerID</c>, <c>Addresses.Swarm</c>, …). The private key is not in here: it lives
/// in its own owner-only file so the config can be shown and shared.
/// </summary>
public sealed record RepoConfig
{
    [JsonPropertyName("Identity")]
    public required IdentityConfig Identity { get; init; }

    [JsonPropertyName("Addresses")]
    public required AddressesConfig Addresses { get; init; }

    /// <summary>Block store limits; configs written before it existed have none and get <see cref="DatastoreConfig.Default"/>.</summary>
    [JsonPropertyName("Datastore")]
    public DatastoreConfig? Datastore { get; init; }

    /// <summary>Optional, so configs written before it existed still load (with the default router).</summary>
    [JsonPropertyName("Pubsub")]
    public PubsubConfig? Pubsub { get; init; }

    /// <summary>Gateway bounds; optional, so configs written before it existed still load (with the defaults).</summary>
    [JsonPropertyName("Gateway")]
    public GatewayConfig? Gateway { get; init; }

    /// <summary>The defaults of BRIEF §7 for a node with <paramref name="peerId"/>.</summary>
    public static RepoConfig CreateDefault(string peerId) => new()
    {
        Identity = new IdentityConfig { PeerId = peerId },
        Addresses = AddressesConfig.Default,
        Datastore = DatastoreConfig.Default,
        Pubsub = PubsubConfig.Default,
    };
}
