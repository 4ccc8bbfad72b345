using System.Globalization;
using System.Text.Json;

namespace Overlay.Bench.P2p;

/// <summary>
/// libp2p over TCP + Noise + yamux between two processes on loopback, Overlay against js-libp2p 3
/// in the same run: stream throughput (1 and 16 streams on one connection), connection setup
/// latency, and Overlay's allocations per MiB; with plain loopback TCP as the physical reference.
/// Each run starts fresh servers and clients; the order of the two systems alternates by run.
/// </summary>
internal sealed class Libp2pScenario : IScenario
{
    private const int WriteSize = 64 * 1024;
    private const long WarmupBytes = 32L << 20;
    private const int LatencyConnections = 200;
    private const int LatencyWarmup = 20;
    private const string JsName = "js-libp2p 3";

    public string Name => "libp2p";

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchContext context)
    {
        var bytes = (context.Quick ? 256L : 1024L) << 20;
        var load = LoadAverage();
        var tcp = new Samples();
        var tcpCpu = new Samples();
        var ours = new Libp2pSamples();
        var js = new Libp2pSamples();
        var (self, prefix) = ChildModes.SelfCommand();
        var script = Path.Combine(context.JsDir, "bench-libp2p.mjs");
        string[] Ours(params string[] args) => [.. prefix, .. args];
        string[] Js(params string[] args) => [script, .. args];
        for (var run = 0; run < context.Runs; run++)
        {
            await using (var sink = await ServerProcess.StartAsync(self, Ours("--tcp-sink")))
            {
                var result = await RunJsonAsync(self, Ours("--client", "tcp", sink.Address, Text(bytes), Text(WriteSize)));
                tcp.Add(Rate(result));
                tcpCpu.Add(CpuSecondsPerGiB(result));
            }
            var systems = new (string FileName, Func<string[], string[]> Args, Libp2pSamples Samples, bool IsOverlay)[]
            {
                (self, a => Ours(a), ours, true),
                (context.Node, a => Js(a), js, false),
            };
            foreach (var (fileName, args, samples, isOverlay) in run % 2 == 0 ? systems : systems.Reverse())
            {
                await using var server = await ServerProcess.StartAsync(fileName, args(isOverlay ? ["--serve"] : ["serve"]));
                string[] client(params string[] a) => args(isOverlay ? ["--client", .. a] : a);
                foreach (var streams in (int[])[1, 16])
                {
                    var result = await RunJsonAsync(fileName, client("throughput", server.Address, Text(streams), Text(bytes), Text(WriteSize), Text(WarmupBytes)));
                    samples.AddThroughput(streams, Rate(result));
                    samples.AddCpu(streams, CpuSecondsPerGiB(result));
                    if (isOverlay)
                    {
                        var mib = result.GetProperty("bytes").GetDouble() / (1 << 20);
                        samples.AddAllocations(streams, result.GetProperty("clientAllocated").GetDouble() / mib, result.GetProperty("serverAllocated").GetDouble() / mib);
                        samples.AddJit(streams, result.GetProperty("clientJitMs").GetDouble() + result.GetProperty("serverJitMs").GetDouble(), result.GetProperty("warmupPasses").GetDouble());
                    }
                }
                var latency = await RunJsonAsync(fileName, client("latency", server.Address, Text(LatencyConnections), Text(LatencyWarmup)));
                samples.AddLatency(latency.GetProperty("ms").EnumerateArray().Select(e => e.GetDouble()).ToArray());
            }
        }
        return Rows(context, tcp, tcpCpu, ours, js, $"{load} → {LoadAverage()}");
    }

    private static IReadOnlyList<BenchmarkRow> Rows(BenchContext context, Samples tcp, Samples tcpCpu, Libp2pSamples ours, Libp2pSamples js, string load)
    {
        var rows = new List<BenchmarkRow>
        {
            new("reference: loopback TCP, plain sockets, 1 connection, two processes", "MB/s", Math.Round(tcp.Median, 1), null, null, null, tcp.Count, context.Today)
            {
                OverlayMin = tcp.Min, OverlayMax = tcp.Max,
                Note = $"{WriteSize / 1024} KiB blocking sends, no crypto; 1-min load average before → after the libp2p rows: {load} (the machine is shared)",
            },
            new("reference: loopback TCP CPU time per GiB (sender + receiver), plain sockets", "s/GiB", Math.Round(tcpCpu.Median, 2), null, null, null, tcpCpu.Count, context.Today)
            {
                OverlayMin = tcpCpu.Min, OverlayMax = tcpCpu.Max, Note = "the kernel's share of every libp2p CPU row below",
            },
        };
        foreach (var streams in (int[])[1, 16])
        {
            var o = ours.Throughput(streams);
            var j = js.Throughput(streams);
            rows.Add(new($"libp2p throughput, TCP+Noise+yamux, {streams} stream{(streams == 1 ? "" : "s")}, two processes", "MB/s",
                Math.Round(o.Median, 1), Math.Round(j.Median, 1), JsName, Math.Round(o.Median / j.Median, 2), o.Count, context.Today)
            {
                OverlayMin = o.Min, OverlayMax = o.Max, PeerMin = j.Min, PeerMax = j.Max,
                Note = $"{o.Median / tcp.Median:P0} of loopback TCP (js {j.Median / tcp.Median:P0}); {WriteSize / 1024} KiB writes, after ≥4 warm-up passes of {WarmupBytes >> 20} MiB (js 8, Overlay until its JIT is quiet, median {ours.WarmupPasses(streams).Median:0}); " +
                    $"Overlay JIT time left in the timed pass {ours.Jit(streams).Median:0} ms",
            });
        }
        foreach (var streams in (int[])[1, 16])
        {
            var o = ours.Cpu(streams);
            var j = js.Cpu(streams);
            rows.Add(new($"CPU time per GiB transferred (sender + receiver), {streams} stream{(streams == 1 ? "" : "s")}", "s/GiB",
                Math.Round(o.Median, 2), Math.Round(j.Median, 2), JsName, Math.Round(j.Median / o.Median, 2), o.Count, context.Today)
            {
                OverlayMin = o.Min, OverlayMax = o.Max, PeerMin = j.Min, PeerMax = j.Max,
                Note = "both processes' user + system CPU over the timed pass; lower is better; other load on the machine moves it far less than MB/s",
            });
        }
        foreach (var (label, pick) in new (string, Func<Libp2pSamples, Samples>)[] { ("median", s => s.LatencyMedian), ("p99", s => s.LatencyP99) })
        {
            var o = pick(ours);
            var j = pick(js);
            rows.Add(new($"connection setup (dial + Noise + yamux + 1-byte round trip), {label} of {LatencyConnections}", "ms",
                Math.Round(o.Median, 2), Math.Round(j.Median, 2), JsName, Math.Round(j.Median / o.Median, 2), o.Count, context.Today)
            {
                OverlayMin = o.Min, OverlayMax = o.Max, PeerMin = j.Min, PeerMax = j.Max,
                Note = "fresh connection each time, closed after; lower is better",
            });
        }
        foreach (var streams in (int[])[1, 16])
        {
            foreach (var (side, pick) in new (string, Func<Libp2pSamples, int, Samples>)[] { ("sender", (s, n) => s.ClientAllocations(n)), ("receiver", (s, n) => s.ServerAllocations(n)) })
            {
                var o = pick(ours, streams);
                rows.Add(new($"allocations per MiB transferred, {side} process, {streams} stream{(streams == 1 ? "" : "s")}", "B/MiB",
                    Math.Round(o.Median), null, null, null, o.Count, context.Today)
                {
                    OverlayMin = o.Min, OverlayMax = o.Max, Note = "GC.GetTotalAllocatedBytes(precise) delta over the timed transfer; lower is better",
                });
            }
        }
        return rows;
    }

    internal static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static double CpuSecondsPerGiB(JsonElement result) =>
        (result.GetProperty("clientCpuMs").GetDouble() + result.GetProperty("serverCpuMs").GetDouble()) / 1000
        / (result.GetProperty("bytes").GetDouble() / (1 << 30));

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static double Rate(JsonElement result) =>
        result.GetProperty("bytes").GetDouble() / 1e6 / result.GetProperty("seconds").GetDouble();

    private static async Task<JsonElement> RunJsonAsync(string fileName, string[] args)
    {
        var result = await ProcessRunner.RunAsync(fileName, args);
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.Clone();
    }
}
