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

    /// <summary>
    /// A row from Overlay's samples and, when given, the peer's: medians rounded to 2 places, the
    /// min–max of each, and <paramref name="ratio"/> as the caller computed it (overlay/peer for
    /// rates, peer/overlay for times and memory).
    /// </summary>
    public static BenchmarkRow FromSamples(BenchContext context, string scenario, string unit, Samples overlay, Samples? peer, string? peerName, double? ratio, string? note = null) =>
        new(scenario, unit, Math.Round(overlay.Median, 2), peer is null ? null : Math.Round(peer.Median, 2), peer is null ? null : peerName,
            ratio is { } r ? Math.Round(r, 2) : null, overlay.Count, context.Today)
        {
            OverlayMin = overlay.Min,
            OverlayMax = overlay.Max,
            PeerMin = peer?.Min,
            PeerMax = peer?.Max,
            Note = note,
        };
}
