using System.Text.Json.Serialization;

namespace Overlay.Bench;

/// <summary>
/// One line of docs/benchmarks.json. <see cref="Ratio"/> is how many times better Overlay is:
/// overlay/peer for rates, peer/overlay for times, so higher is better either way.
/// </summary>
internal sealed record BenchmarkRow(
    [property: JsonPropertyName("scenario")] string Scenario,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("overlay")] double Overlay,
    [property: JsonPropertyName("peer")] double? Peer,
    [property: JsonPropertyName("peer_name")] string? PeerName,
    [property: JsonPropertyName("ratio")] double? Ratio,
    [property: JsonPropertyName("runs")] int Runs,
    [property: JsonPropertyName("date")] string Date)
{
    [JsonIgnore]
    public double OverlayMin { get; init; }

    [JsonIgnore]
    public double OverlayMax { get; init; }

    [JsonIgnore]
    public double? PeerMin { get; init; }

    [JsonIgnore]
    public double? PeerMax { get; init; }

    [JsonIgnore]
    public string? Note { get; init; }
}
