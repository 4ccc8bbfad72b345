using System.Globalization;
using System.Text.Json;
using Overlay.Bench.P2p;

namespace Overlay.Bench.PubSub;

/// <summary>
/// Gossipsub on loopback: for each mesh size in <see cref="MeshSizes"/>, that many nodes of one
/// system in one process (Overlay in .NET, js-libp2p in Node), same topology, parameters and
/// traffic (see <see cref="GossipsubMesh"/> and tests/js/bench-gossipsub.mjs): delivery latency
/// p50/p99 and duplicate copies received per message published.
/// </summary>
internal sealed class GossipsubScenario : IScenario
{
    private static readonly int[] MeshSizes = [10, 25, 50];
    private const int Messages = 100;
    private const int Size = 1024;
    private const int Rate = 20;
    private const string JsName = "js-libp2p 3 + @libp2p/gossipsub 17";

    public string Name => "gossipsub";

    /// <summary>Rows named "gossipsub …" from an earlier run (another mesh size or message size) are dropped when this one is merged.</summary>
    public string RowPrefix => "gossipsub ";

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchContext context)
    {
        var rows = new List<BenchmarkRow>();
        foreach (var nodes in MeshSizes)
        {
            rows.AddRange(await RunMeshAsync(nodes, context));
        }
        return rows;
    }

    private static async Task<IReadOnlyList<BenchmarkRow>> RunMeshAsync(int nodes, BenchContext context)
    {
        var (self, prefix) = ChildModes.SelfCommand();
        var script = Path.Combine(context.JsDir, "bench-gossipsub.mjs");
        string[] traffic = [Text(nodes), Text(Messages), Text(Size), Text(Rate)];
        var systems = new (string Name, string FileName, string[] Args)[]
        {
            ("overlay", self, [.. prefix, "--gossipsub", .. traffic]),
            ("js", context.Node, [script, .. traffic]),
        };
        var samples = systems.ToDictionary(s => s.Name, _ => (P50: new Samples(), P99: new Samples(), Duplicates: new Samples(), Delivered: new Samples(), Mesh: new List<string>()));
        // --quick: one run per system and mesh size (three sizes already make it the longest quick scenario).
        for (var run = 0; run < (context.Quick ? 1 : context.Runs); run++)
        {
            foreach (var (name, fileName, args) in run % 2 == 0 ? systems : systems.Reverse())
            {
                var result = await ProcessRunner.RunAsync(fileName, args);
                using var json = JsonDocument.Parse(result.Stdout);
                var r = json.RootElement;
                var ms = r.GetProperty("ms").EnumerateArray().Select(e => e.GetDouble()).Order().ToArray();
                var s = samples[name];
                s.P50.Add(Percentile(ms, 0.50));
                s.P99.Add(Percentile(ms, 0.99));
                s.Duplicates.Add(r.GetProperty("duplicates").GetDouble() / Messages);
                s.Delivered.Add(ms.Length / r.GetProperty("expected").GetDouble());
                s.Mesh.Add($"{r.GetProperty("meshSizeMin").GetInt32()}–{r.GetProperty("meshSizeMax").GetInt32()} (mean {r.GetProperty("meshSizeMean").GetDouble():0.0})");
            }
        }
        var o = samples["overlay"];
        var j = samples["js"];
        var setup = $"{nodes} nodes in one process per system, each dialing 4 others (i+1, i+2, i+4, i+8), D 6/5/12, 1 s heartbeat, flood publish, StrictSign; " +
            $"{Messages} messages of {Size} B at {Rate}/s from the nodes in turn, after every mesh reached D_lo";
        return
        [
            Row($"gossipsub, {nodes} nodes, {Size} B messages: delivery latency p50, publish to subscriber", "ms", o.P50, j.P50, j.P50.Median / o.P50.Median, context) with
            {
                Note = $"{setup}; lower is better; Overlay's nodes share the .NET thread pool (2 cores), js's share one event loop",
            },
            Row($"gossipsub, {nodes} nodes, {Size} B messages: delivery latency p99, publish to subscriber", "ms", o.P99, j.P99, j.P99.Median / o.P99.Median, context) with
            {
                Note = $"delivered {o.Delivered.Min:P1} (js {j.Delivered.Min:P1}) of the expected deliveries in the worst run; lower is better",
            },
            Row($"gossipsub, {nodes} nodes, {Size} B messages: duplicate copies received per message (all nodes)", "copies", o.Duplicates, j.Duplicates, j.Duplicates.Median / o.Duplicates.Median, context) with
            {
                Note = $"mesh sizes when publishing starts, per run: Overlay {string.Join(", ", o.Mesh)}, js {string.Join(", ", j.Mesh)}; each node receives about (its mesh size − 1) copies, so the larger mesh sends more; js sends IDONTWANT (/meshsub/1.2.0) for messages of 512 B and more; lower is better",
            },
        ];
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static BenchmarkRow Row(string scenario, string unit, Samples overlay, Samples peer, double ratio, BenchContext context) =>
        BenchmarkRow.FromSamples(context, scenario, unit, overlay, peer, JsName, ratio);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
