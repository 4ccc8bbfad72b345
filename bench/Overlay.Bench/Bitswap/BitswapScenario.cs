using System.Globalization;
using System.Text.Json;
using Overlay.Bench.P2p;

namespace Overlay.Bench.Bitswap;

/// <summary>
/// Bitswap between two processes on loopback: a 1 GiB UnixFS file (1 MiB raw leaves) fetched
/// whole by a node that has none of it from one that has all of it, Overlay → Overlay and
/// Helia → Helia in the same run, each with in-memory and with on-disk block stores. Both
/// clients fetch a 64 MiB file first (JIT warm-up). Each run starts fresh processes and
/// alternates which system goes first.
/// </summary>
internal sealed class BitswapScenario : IScenario
{
    private const string HeliaName = "Helia 7 (@helia/bitswap)";

    public string Name => "bitswap";

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchContext context)
    {
        var load = Load();
        var samples = new Dictionary<string, Samples>();
        void Add(string key, double value)
        {
            if (!samples.TryGetValue(key, out var found))
            {
                samples[key] = found = new Samples();
            }
            found.Add(value);
        }
        var (self, prefix) = ChildModes.SelfCommand();
        var script = Path.Combine(context.JsDir, "bench-bitswap.mjs");
        var systems = new (string System, string FileName, Func<string[], string[]> Args, string Serve, string Fetch)[]
        {
            ("overlay", self, a => [.. prefix, .. a], "--bitswap-serve", "--bitswap-fetch"),
            ("helia", context.Node, a => [script, .. a], "serve", "fetch"),
        };
        // The issue's two sizes; --quick measures the smaller one only, once per system and store.
        long[] sizes = context.Quick ? [256L << 20] : [256L << 20, 1L << 30];
        var runs = context.Quick ? 1 : context.Runs;
        foreach (var size in sizes)
        for (var run = 0; run < runs; run++)
        {
            foreach (var (system, fileName, args, serve, fetch) in run % 2 == 0 ? systems : systems.Reverse())
            {
                foreach (var store in (string[])["memory", "disk"])
                {
                    await using var server = await ServerProcess.StartAsync(fileName, args([serve, store, Text(size)]));
                    var result = await ProcessRunner.RunAsync(fileName, args([fetch, store, server.Address, server.Field("root"), server.Field("warmup")]));
                    using var json = JsonDocument.Parse(result.Stdout);
                    var r = json.RootElement;
                    var bytes = r.GetProperty("bytes").GetDouble();
                    if (bytes < size)
                    {
                        throw new InvalidOperationException($"{system} fetched {bytes} of {size} bytes");
                    }
                    var key = $"{system}/{store}/{SizeText(size)}";
                    Add(key + "/rate", bytes / 1e6 / r.GetProperty("seconds").GetDouble());
                    Add(key + "/cpu", (r.GetProperty("clientCpuMs").GetDouble() + r.GetProperty("serverCpuMs").GetDouble()) / 1000 / (bytes / (1 << 30)));
                    Add(key + "/clientRss", r.GetProperty("clientPeakRssKiB").GetDouble() / 1024);
                    Add(key + "/serverRss", r.GetProperty("serverPeakRssKiB").GetDouble() / 1024);
                    if (r.TryGetProperty("warmupPasses", out var passes))
                    {
                        Add(key + "/warmup", passes.GetDouble());
                        Add(key + "/jit", r.GetProperty("clientJitMs").GetDouble() + r.GetProperty("serverJitMs").GetDouble());
                    }
                }
            }
        }
        return sizes.SelectMany(size => Rows(context, samples, SizeText(size), $"{load} → {Load()}")).ToList();
    }

    private static string SizeText(long size) => size >= 1L << 30 ? $"{size >> 30} GiB" : $"{size >> 20} MiB";

    private static IReadOnlyList<BenchmarkRow> Rows(BenchContext context, Dictionary<string, Samples> all, string size, string load)
    {
        // This size's samples under the keys the rows below read ("overlay/memory/rate", …).
        var s = all.Where(e => e.Key.Contains($"/{size}/", StringComparison.Ordinal))
            .ToDictionary(e => e.Key.Replace($"/{size}/", "/", StringComparison.Ordinal), e => e.Value);
        var rows = new List<BenchmarkRow>();
        var stores = new Dictionary<string, string>
        {
            ["memory"] = "in-memory stores (Overlay MemoryBlockStore, Helia MemoryBlockstore)",
            ["disk"] = "on-disk stores (Overlay FileBlockStore: fsync per block, re-hash on read; Helia blockstore-fs: rename, no fsync)",
        };
        foreach (var (store, label) in stores)
        {
            var o = s[$"overlay/{store}/rate"];
            var h = s[$"helia/{store}/rate"];
            rows.Add(Row($"bitswap fetch of a {size} file, two processes, {label}", "MB/s", o, h, o.Median / h.Median, context) with
            {
                Note = (store == "memory" ? "target ≥ 600 MB/s and ≥ 8× Helia" : "bounded by FileBlockStore's durable put (fsync per block, see the analysis)") + $"; 1 MiB raw leaves, after warm-up fetches of 32 MiB (Overlay until its JIT is quiet, median {s["overlay/memory/warmup"].Median:0} passes; Helia one); client verifies every block; 1-min load average before → after: {load}",
            });
        }
        foreach (var store in stores.Keys)
        {
            var o = s[$"overlay/{store}/cpu"];
            var h = s[$"helia/{store}/cpu"];
            rows.Add(Row($"bitswap CPU time per GiB (client + server), {store} stores, {size} file", "s/GiB", o, h, h.Median / o.Median, context) with
            {
                Note = $"user + system CPU of both processes over the timed fetch; lower is better; Overlay JIT time left in the timed fetch {s[$"overlay/{store}/jit"].Median:0} ms",
            });
        }
        foreach (var store in stores.Keys)
        {
            foreach (var side in (string[])["client", "server"])
            {
                var o = s[$"overlay/{store}/{side}Rss"];
                var h = s[$"helia/{store}/{side}Rss"];
                rows.Add(Row($"bitswap peak RSS, {side} process, {store} stores, {size} file", "MiB", o, h, h.Median / o.Median, context) with
                {
                    Note = store == "memory" ? $"holds the {size} file in memory by design; lower is better" : "whole process lifetime, import included on the server; lower is better",
                });
            }
        }
        return rows;
    }

    private static BenchmarkRow Row(string scenario, string unit, Samples overlay, Samples peer, double ratio, BenchContext context) =>
        BenchmarkRow.FromSamples(context, scenario, unit, overlay, peer, HeliaName, ratio);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Load()
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
}
