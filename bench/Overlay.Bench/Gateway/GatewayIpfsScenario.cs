using Overlay.Bench.Bitswap;

namespace Overlay.Bench.Gateway;

/// <summary>
/// The gateway of a real <c>overlay daemon</c> (built CLI, fresh repo, loopback): requests per
/// second and p99 latency for a cached 1 MiB raw block (<c>?format=raw</c>) and a cached 4 KiB
/// file at concurrency 1, 16 and 64 with our own HTTP/1.1 keep-alive load client in the bench
/// process; <c>/health</c> at 16 as the server's own ceiling on this machine; time to first
/// byte of a file added just before on the same daemon (local) and on another daemon one hop
/// away (bitswap); and the daemon's peak RSS while 20 readers stream a 64 MiB file at once.
/// No Helia counterpart runs: @helia/verified-fetch is not in the npm cache here.
/// </summary>
internal sealed class GatewayIpfsScenario : IScenario
{
    private const int Readers = 20;
    private const long BigFile = 64L << 20;

    public string Name => "gateway-ipfs";

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchContext context)
    {
        var load = DaemonBitswapScenario.Load();
        var duration = TimeSpan.FromSeconds(context.Quick ? 2 : 5);
        var runs = context.Quick ? 1 : 3;
        var s = new Dictionary<string, Samples>();
        void Add(string key, double value) => Samples.AddTo(s, key, value);
        await using var a = await DaemonUnderTest.StartAsync(context.OverlayCli, Path.Combine(context.WorkDir, "gw-a"));
        await using var b = await DaemonUnderTest.StartAsync(context.OverlayCli, Path.Combine(context.WorkDir, "gw-b"));
        var gatewayA = a.Gateway ?? throw new InvalidOperationException("daemon A printed no gateway address");
        var gatewayB = b.Gateway ?? throw new InvalidOperationException("daemon B printed no gateway address");
        var block = await AddAsync(context, a, "gw-1MiB.bin", 1L << 20);
        var small = await AddAsync(context, a, "gw-4KiB.txt", 4096);
        var big = await AddAsync(context, a, "gw-64MiB.bin", BigFile);
        await b.RunAsync("swarm", "connect", a.Address);

        for (var run = 0; run < runs; run++)
        {
            foreach (var concurrency in new[] { 1, 16, 64 })
            {
                var raw = await HttpLoad.RunAsync($"{gatewayA}/ipfs/{block}?format=raw", concurrency, duration, 1L << 20);
                Add($"raw/{concurrency}/rps", raw.RequestsPerSecond);
                Add($"raw/{concurrency}/p99", raw.P99Ms);
                var file = await HttpLoad.RunAsync($"{gatewayA}/ipfs/{small}", concurrency, duration, 4096);
                Add($"small/{concurrency}/rps", file.RequestsPerSecond);
                Add($"small/{concurrency}/p99", file.P99Ms);
            }
            var health = await HttpLoad.RunAsync($"{gatewayA}/health", 16, duration, -1);
            Add("health/rps", health.RequestsPerSecond);
        }

        using (var http = new HttpClient())
        {
            for (var i = 0; i < (context.Quick ? 5 : 15); i++)
            {
                var local = await AddAsync(context, a, $"gw-ttfb-{i}.bin", 256 << 10);
                Add("ttfb/local", await HttpLoad.TimeToFirstByteMsAsync(http, $"{gatewayA}/ipfs/{local}"));
                Add("ttfb/hop", await HttpLoad.TimeToFirstByteMsAsync(http, $"{gatewayB}/ipfs/{await AddAsync(context, a, $"gw-ttfb-hop-{i}.bin", 256 << 10)}"));
            }
        }

        a.ResetPeakRss();
        var idle = a.PeakRssMiB();
        await HttpLoad.RunAsync($"{gatewayA}/ipfs/{big}", Readers, duration, BigFile);
        Add("rss/20", a.PeakRssMiB());
        return Rows(context, s, idle, $"{load} → {DaemonBitswapScenario.Load()}");
    }

    private static async Task<string> AddAsync(BenchContext context, DaemonUnderTest daemon, string name, long bytes)
    {
        var path = Path.Combine(context.WorkDir, name);
        await using (var content = new RandomContent(bytes))
        await using (var output = File.Create(path))
        {
            await content.CopyToAsync(output);
        }
        var cid = await daemon.RunAsync("add", "-Q", path);
        File.Delete(path);
        return cid;
    }

    private static IReadOnlyList<BenchmarkRow> Rows(BenchContext context, Dictionary<string, Samples> s, double idleRss, string load)
    {
        var rows = new List<BenchmarkRow>();
        foreach (var (key, what) in new[] { ("raw", "cached 1 MiB raw block (`?format=raw`)"), ("small", "cached 4 KiB UnixFS file") })
        {
            foreach (var concurrency in new[] { 1, 16, 64 })
            {
                rows.Add(Row($"gateway requests/s, {what}, concurrency {concurrency}", "req/s", s[$"{key}/{concurrency}/rps"], context) with
                {
                    Note = key == "raw"
                        ? $"{s[$"{key}/{concurrency}/rps"].Median:0} MiB/s of bodies; own HTTP/1.1 keep-alive client in the bench process on the same 2 cores; 1-min load {load}"
                        : $"own HTTP/1.1 keep-alive client; `/health` (no content, a small JSON) does {s["health/rps"].Median:0} req/s at 16 on this machine",
                });
                rows.Add(Row($"gateway p99 latency, {what}, concurrency {concurrency}", "ms", s[$"{key}/{concurrency}/p99"], context) with
                {
                    Note = "request sent to last body byte; lower is better",
                });
            }
        }
        rows.Add(Row("gateway `/health` requests/s at concurrency 16 (this server's ceiling here)", "req/s", s["health/rps"], context));
        rows.Add(Row("gateway time to first byte, 256 KiB file added on the same daemon", "ms", s["ttfb/local"], context) with
        {
            Note = "fresh content each sample (read from the repo, not a cache); lower is better",
        });
        rows.Add(Row("gateway time to first byte, 256 KiB file one hop away (bitswap from another daemon)", "ms", s["ttfb/hop"], context) with
        {
            Note = "daemon B's gateway, content added on A just before; includes the want/block round trip; lower is better",
        });
        rows.Add(Row($"gateway peak RSS, {Readers} concurrent readers of a 64 MiB file", "MiB", s["rss/20"], context) with
        {
            Note = $"VmHWM of the daemon after a reset; {idleRss:0} MiB just before the readers started; lower is better",
        });
        return rows;
    }

    private static BenchmarkRow Row(string scenario, string unit, Samples overlay, BenchContext context) =>
        new(scenario, unit, Math.Round(overlay.Median, 2), null, null, null, overlay.Count, context.Today)
        {
            OverlayMin = overlay.Min, OverlayMax = overlay.Max,
        };
}
