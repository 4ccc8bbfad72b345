namespace Overlay.Bench.Gateway;

/// <summary>The gateway scenarios' rows: Overlay's samples, with Helia's beside them where Helia has the same thing.</summary>
internal static class GatewayRow
{
    /// <summary>
    /// A row with <see cref="JsGateway.PeerName"/> beside Overlay when <paramref name="peer"/> is
    /// given; the ratio is overlay/peer for rates (units per second), peer/overlay for times and
    /// memory, so higher is better for Overlay either way.
    /// </summary>
    public static BenchmarkRow Create(BenchContext context, string label, string unit, Samples overlay, Samples? peer, string? note = null)
    {
        double? ratio = peer is null ? null
            : unit.EndsWith("/s", StringComparison.Ordinal) ? overlay.Median / peer.Median : peer.Median / overlay.Median;
        return BenchmarkRow.FromSamples(context, label, unit, overlay, peer, JsGateway.PeerName, ratio, note);
    }
}
