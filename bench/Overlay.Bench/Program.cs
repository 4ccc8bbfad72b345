using System.Diagnostics;
using Overlay.Bench;
using Overlay.Bench.Bitswap;
using Overlay.Bench.Gateway;
using Overlay.Bench.P2p;
using Overlay.Bench.PubSub;
using Overlay.Bench.Streams;

if (ChildModes.IsChild(args))
{
    // The libp2p scenarios run this program as their server and client processes.
    return await ChildModes.RunAsync(args);
}

// bench/run is the entry point: it builds Release, installs the js peers and passes their paths.
var quick = args.Contains("--quick");
string Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault()
    ?? throw new ArgumentException($"missing {name}");
var root = Arg("--root");
var work = Path.Combine(Path.GetTempPath(), "overlay-bench-" + Environment.ProcessId);
Directory.CreateDirectory(work);
var context = new BenchContext(root, Arg("--cli"), Arg("--node"), Arg("--js"), work, quick);
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();

IScenario[] scenarios = [new ReferenceScenario(), new DagCborScenario(), new ImportScenario(), new Libp2pScenario(), new BitswapScenario(), new GossipsubScenario(), new DaemonBitswapScenario(), new PrefetchScenario(), new StreamsScenario(), new GatewayHlsScenario(), new GatewayIpfsScenario(), new MicroScenario()];
var rows = new List<BenchmarkRow>();
var watch = Stopwatch.StartNew();
try
{
    foreach (var scenario in scenarios.Where(s => only is null ? !(quick && s.FullRunOnly) : s.Name == only || s.Name == "reference"))
    {
        Console.Error.WriteLine($"bench: {scenario.Name}…");
        var produced = await scenario.RunAsync(context);
        foreach (var row in produced)
        {
            Console.WriteLine($"{row.Scenario}: {row.Overlay} {row.Unit}" + (row.Peer is null ? "" : $" vs {row.PeerName} {row.Peer} (ratio {row.Ratio})"));
        }
        // With --only, the reference rows only served the run (the table keeps those of the last full run).
        if (only is null || scenario.Name == only)
        {
            rows.AddRange(produced);
        }
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}
var stalePrefix = scenarios.FirstOrDefault(s => s.Name == only)?.RowPrefix;
await ReportWriter.WriteAsync(Path.Combine(root, "docs"), rows, context, watch.Elapsed, Path.Combine(root, "bench", "analysis.md"), only, stalePrefix);
Console.Error.WriteLine($"bench: wrote docs/benchmarks.md and docs/benchmarks.json in {watch.Elapsed.TotalMinutes:0.0} min");
return 0;
