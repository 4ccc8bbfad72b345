using System.Text.Json.Serialization;

namespace Overlay.Gateway.Admin;

/// <summary>One connection in <see cref="SwarmPeersResponse"/>, with kubo's field names.</summary>
public sealed record SwarmPeer
{
    /// <summary>kubo's <c>network.Direction</c> values.</summary>
    public const int Inbound = 1;
    public const int Outbound = 2;

    /// <summary>The remote address, without /p2p/.</summary>
    [JsonPropertyName("Addr")]
    public required string Address { get; init; }

    [JsonPropertyName("Peer")]
    public required string Peer { get; init; }

    [JsonPropertyName("Direction")]
    public required int Direction { get; init; }

    /// <summary>The smoothed ping round trip as a Go duration ("1.234ms"); absent until we have pinged the peer.</summary>
    [JsonPropertyName("Latency")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Latency { get; init; }
}
