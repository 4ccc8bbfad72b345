using System.Text.Json.Nodes;
using Overlay.Tests.Shared;

namespace Overlay.Bench.Streams;

/// <summary>
/// The js counterpart of <see cref="LiveTopology"/>: Helia 7 nodes in one Node process
/// (tests/js/bench-live.mjs) over the same dial plan, segment size, interval and count, each node's
/// listening port behind a <see cref="LinkRelay"/> so the wire bytes are counted the same way.
/// Latency is from node 0's publish call to a follower holding the whole segment (on the Node
/// process's clock); a segment a follower gave up on (30 s) is counted as lost, not as a sample.
/// </summary>
internal static class LiveJsTopology
{
    public const string PeerName = "Helia 7 + @helia/bitswap + @libp2p/gossipsub 17";

    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(180);

    public static async Task<LiveResult> RunAsync(BenchContext context, int[][] plan, bool lastOnly, int segments, int warmup)
    {
        // JsProcess finds Node and the scripts through these; point it at the ones bench/run installed.
        Environment.SetEnvironmentVariable("OVERLAY_NODE", context.Node);
        Environment.SetEnvironmentVariable("OVERLAY_JS_DIR", context.JsDir);
        var count = plan.Length;
        var relays = new List<LinkRelay>();
        var js = JsProcess.Start("bench-live.mjs");
        try
        {
            var started = await js.CommandAsync("start", new { nodes = count }, StepTimeout);
            var peers = started["peers"]!.AsArray();
            var addrs = new List<string>();
            foreach (var peer in peers)
            {
                var relay = new LinkRelay(peer!["port"]!.GetValue<int>());
                relays.Add(relay);
                addrs.Add($"/ip4/127.0.0.1/tcp/{relay.Port}/p2p/{peer["id"]!.GetValue<string>()}");
            }
            await js.CommandAsync("dial", new { addrs, plan }, StepTimeout);
            var wireBefore = relays.Sum(r => r.BytesForwarded);
            var run = await js.CommandAsync("run", new { segments, warmup, bytes = LiveTopology.SegmentBytes, intervalMs = (int)LiveTopology.Interval.TotalMilliseconds }, RunTimeout);
            var wire = relays.Sum(r => r.BytesForwarded) - wireBefore;
            var perNode = run["ms"]!.AsArray();
            var first = lastOnly ? count - 1 : 1;
            var latencies = new List<double>();
            for (var i = first; i < count; i++)
            {
                latencies.AddRange(perNode[i]!.AsArray().Select(ms => ms!.GetValue<double>()));
            }
            var lost = run["lost"]!.AsArray().Count(pair => pair![0]!.GetValue<int>() >= first);
            if (latencies.Count + lost != (count - first) * (segments - warmup) || latencies.Count == 0)
            {
                throw new InvalidOperationException($"bench-live.mjs returned {latencies.Count} latencies and {lost} lost segments, expected {(count - first) * (segments - warmup)} in all");
            }
            latencies.Sort();
            await js.CommandAsync("exit", null, StepTimeout);
            return new LiveResult(latencies, LiveTopology.WireRatio(wire, segments, count), Long(run, "duplicateBlocks"), Long(run, "blocksReceived"), lost, Long(run, "refetches"));
        }
        finally
        {
            await js.DisposeAsync();
            foreach (var relay in relays)
            {
                await relay.DisposeAsync();
            }
        }
    }

    private static long Long(JsonObject answer, string name) => answer[name]!.GetValue<long>();
}
