using System.Globalization;
using System.Text.Json;
using Overlay.Bench.P2p;

namespace Overlay.Bench.Bitswap;

/// <summary>
/// Bitswap between two real <c>overlay daemon</c> processes (the built CLI, fresh repos, loopback
/// ports the kernel picks): A adds a 1 GiB random file through its RPC (untimed), B connects to
/// A, and B fetches the whole file twice — <c>overlay cat CID &gt; /dev/null</c> (what a user
/// does; the CLI process's start is in the time), then, after <c>repo gc</c> dropped it again,
/// <c>overlay pin add CID</c>. Each daemon first fetches and drops a 32 MiB file three times
/// (both ways), so the JIT is not timed. In the same run, with the same order alternating per
/// run: Helia → Helia with blockstore-fs and the bench's own two child processes (Libp2pHost +
/// BitswapService + FileBlockStore, DagFetcher), as the bitswap scenario runs them.
/// </summary>
internal sealed class DaemonBitswapScenario : IScenario
{
    private const string HeliaName = "Helia 7 (@helia/bitswap), blockstore-fs";
    private const long Bytes = 1L << 30;
    private const int WarmupPasses = 3;

    public string Name => "bitswap-daemon";

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchContext context)
    {
        var load = Load();
        var runs = context.Quick ? 1 : 3;
        var s = new Dictionary<string, Samples>();
        void Add(string key, double value)
        {
            if (!s.TryGetValue(key, out var found))
            {
                s[key] = found = new Samples();
            }
            found.Add(value);
        }
        var file = Path.Combine(context.WorkDir, "daemon-1GiB.bin");
        var warmupFile = Path.Combine(context.WorkDir, "daemon-32MiB.bin");
        await WriteRandomAsync(file, Bytes);
        await WriteRandomAsync(warmupFile, BitswapPeer.WarmupBytes);
        var (self, prefix) = ChildModes.SelfCommand();
        var script = Path.Combine(context.JsDir, "bench-bitswap.mjs");
        for (var run = 0; run < runs; run++)
        {
            Func<Task>[] parts =
            [
                async () => await ChildPairAsync("helia", context.Node, [script, "serve", "disk", Text(Bytes)], a => [script, "fetch", "disk", .. a], Add),
                async () => await ChildPairAsync("harness", self, [.. prefix, "--bitswap-serve", "disk", Text(Bytes)], a => [.. prefix, "--bitswap-fetch", "disk", .. a], Add),
                async () => await DaemonsAsync(context, file, warmupFile, run, Add),
            ];
            foreach (var part in run % 2 == 0 ? parts : parts.Reverse())
            {
                await part();
            }
        }
        File.Delete(file);
        File.Delete(warmupFile);
        return Rows(context, s, $"{load} → {Load()}");
    }

    private static async Task ChildPairAsync(string system, string fileName, string[] serve, Func<string[], string[]> fetch, Action<string, double> add)
    {
        await using var server = await ServerProcess.StartAsync(fileName, serve);
        var result = await ProcessRunner.RunAsync(fileName, fetch([server.Address, server.Field("root"), server.Field("warmup")]));
        using var json = JsonDocument.Parse(result.Stdout);
        var r = json.RootElement;
        var bytes = r.GetProperty("bytes").GetDouble();
        if (bytes < Bytes)
        {
            throw new InvalidOperationException($"{system} fetched {bytes} of {Bytes} bytes");
        }
        add($"{system}/rate", bytes / 1e6 / r.GetProperty("seconds").GetDouble());
        add($"{system}/cpu", (r.GetProperty("clientCpuMs").GetDouble() + r.GetProperty("serverCpuMs").GetDouble()) / 1000 / (bytes / (1 << 30)));
        add($"{system}/clientRss", r.GetProperty("clientPeakRssKiB").GetDouble() / 1024);
        add($"{system}/serverRss", r.GetProperty("serverPeakRssKiB").GetDouble() / 1024);
    }

    private static async Task DaemonsAsync(BenchContext context, string file, string warmupFile, int run, Action<string, double> add)
    {
        await using var a = await DaemonUnderTest.StartAsync(context.OverlayCli, Path.Combine(context.WorkDir, $"daemon-a-{run}"));
        await using var b = await DaemonUnderTest.StartAsync(context.OverlayCli, Path.Combine(context.WorkDir, $"daemon-b-{run}"));
        var root = await a.RunAsync("add", "-Q", file);
        var warmup = await a.RunAsync("add", "-Q", warmupFile);
        await b.RunAsync("swarm", "connect", a.Address);
        for (var pass = 0; pass < WarmupPasses; pass++)
        {
            await b.CatToNullAsync(warmup);
            await b.RunAsync("repo", "gc");
            await b.RunAsync("pin", "add", warmup);
            await b.RunAsync("pin", "rm", warmup);
            await b.RunAsync("repo", "gc");
        }
        await TimeAsync("cat", a, b, () => b.CatToNullAsync(root), add);
        await b.RunAsync("repo", "gc");
        await TimeAsync("pin", a, b, () => b.RunAsync("pin", "add", root), add);
    }

    private static async Task TimeAsync(string what, DaemonUnderTest a, DaemonUnderTest b, Func<Task> fetch, Action<string, double> add)
    {
        a.ResetPeakRss();
        b.ResetPeakRss();
        var cpu = a.CpuSeconds() + b.CpuSeconds();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await fetch();
        var seconds = watch.Elapsed.TotalSeconds;
        cpu = a.CpuSeconds() + b.CpuSeconds() - cpu;
        add($"{what}/rate", Bytes / 1e6 / seconds);
        add($"{what}/cpu", cpu / (Bytes / (double)(1 << 30)));
        add($"{what}/clientRss", b.PeakRssMiB());
        add($"{what}/serverRss", a.PeakRssMiB());
    }

    private static IReadOnlyList<BenchmarkRow> Rows(BenchContext context, Dictionary<string, Samples> s, string load)
    {
        var h = "helia";
        var rows = new List<BenchmarkRow>
        {
            Row("bitswap fetch of a 1 GiB file between two `overlay daemon`s, on-disk repos: `overlay cat CID > /dev/null`", "MB/s", s["cat/rate"], s[$"{h}/rate"], s["cat/rate"].Median / s[$"{h}/rate"].Median, context) with
            {
                Note = $"B fetches from A over loopback, the reader's look-ahead bounding blocks in flight; CLI process start included; {s["cat/rate"].Median / s["harness/rate"].Median:P0} of the bench child processes' DagFetcher rate in the same run ({s["harness/rate"].Median:0} MB/s); 1-min load average before → after: {load}",
            },
            Row("bitswap fetch of a 1 GiB file between two `overlay daemon`s, on-disk repos: `overlay pin add CID`", "MB/s", s["pin/rate"], s[$"{h}/rate"], s["pin/rate"].Median / s[$"{h}/rate"].Median, context) with
            {
                Note = $"the pin walks the DAG a level at a time with PinStore's reads in flight; {s["pin/rate"].Median / s["harness/rate"].Median:P0} of the child processes' DagFetcher rate; load as above",
            },
            Row("bitswap fetch of a 1 GiB file, bench child processes (DagFetcher), on-disk stores, same run as the daemon rows", "MB/s", s["harness/rate"], s[$"{h}/rate"], s["harness/rate"].Median / s[$"{h}/rate"].Median, context) with
            {
                Note = "Libp2pHost + BitswapService + FileBlockStore, no RPC, no CLI: what the daemon rows cost over it",
            },
        };
        foreach (var (key, label) in new[] { ("cat", "overlay cat"), ("pin", "overlay pin add") })
        {
            rows.Add(Row($"bitswap CPU time per GiB, both daemons, `{label}`", "s/GiB", s[$"{key}/cpu"], s[$"{h}/cpu"], s[$"{h}/cpu"].Median / s[$"{key}/cpu"].Median, context) with
            {
                Note = $"user + system CPU of daemons A and B over the fetch (not the CLI process); Helia: both processes; child processes' DagFetcher: {s["harness/cpu"].Median:0.00} s/GiB; lower is better",
            });
        }
        foreach (var (key, label) in new[] { ("cat", "overlay cat"), ("pin", "overlay pin add") })
        {
            foreach (var (side, who) in new[] { ("client", "fetching daemon B"), ("server", "serving daemon A") })
            {
                rows.Add(Row($"bitswap peak RSS, {who}, `{label}`", "MiB", s[$"{key}/{side}Rss"], s[$"{h}/{side}Rss"], s[$"{h}/{side}Rss"].Median / s[$"{key}/{side}Rss"].Median, context) with
                {
                    Note = side == "client"
                        ? "daemon: VmHWM reset just before the fetch; Helia: whole fetching process; lower is better"
                        : "daemon: VmHWM reset just before the fetch (the add is not in it); Helia: whole serving process, its import included; lower is better",
                });
            }
        }
        return rows;
    }

    private static BenchmarkRow Row(string scenario, string unit, Samples overlay, Samples peer, double ratio, BenchContext context) =>
        BenchmarkRow.FromSamples(context, scenario, unit, overlay, peer, HeliaName, ratio);

    private static async Task WriteRandomAsync(string path, long bytes)
    {
        await using var content = new RandomContent(bytes);
        await using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        await content.CopyToAsync(output, 1 << 20);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Load()
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
