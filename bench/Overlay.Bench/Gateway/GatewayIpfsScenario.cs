using Overlay.Bench.Bitswap;

namespace Overlay.Bench.Gateway;

/// <summary>
/// The gateway of a real <c>overlay daemon</c> (built CLI, fresh repo, loopback): requests per
/// second and p99 latency for a cached 1 MiB raw block (<c>?format=raw</c>) and a cached 4 KiB
/// file at concurrency 1, 16 and 64 with our own HTTP/1.1 keep-alive load client in the bench
/// process; <c>/health</c> at 16 as the server's own ceiling on this machine; time to first
/// byte of a file added just before on the same daemon (local) and on another daemon one hop
/// away (bitswap); and the daemon's peak RSS while 20 readers stream a 64 MiB file at once.
/// Beside it, in the same run with the order alternating per run (per sample for first bytes):
/// two Helia gateways (<see cref="JsGateway"/>: @helia/verified-fetch behind node:http), A
/// holding the same files (the same CIDs, checked) and B dialed to A, loaded by the same client.
/// <c>/health</c> has no Helia counterpart.
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
        var samples = context.Quick ? 5 : 15;
        // The same bytes for both gateways: Helia adds every file at its start, the daemon when
        // its rows need it (the first-byte files just before each sample).
        var files = new List<string>
        {
            await WriteAsync(context, "gw-1MiB.bin", 1L << 20),
            await WriteAsync(context, "gw-4KiB.txt", 4096),
            await WriteAsync(context, "gw-64MiB.bin", BigFile),
        };
        for (var i = 0; i < samples; i++)
        {
            files.Add(await WriteAsync(context, $"gw-ttfb-{i}.bin", 256 << 10));
            files.Add(await WriteAsync(context, $"gw-ttfb-hop-{i}.bin", 256 << 10));
        }
        await using var jsA = await JsGateway.StartAsync(context, Path.Combine(context.WorkDir, "gw-js-a"), null, files);
        await using var jsB = await JsGateway.StartAsync(context, Path.Combine(context.WorkDir, "gw-js-b"), jsA.Address, []);
        var cids = new List<string>();
        foreach (var file in files.Take(3))
        {
            cids.Add(await a.RunAsync("add", "-Q", file));
        }
        if (!cids.SequenceEqual(jsA.Cids.Take(3)))
        {
            throw new InvalidOperationException($"Helia and the daemon gave the same files different CIDs: {string.Join(' ', jsA.Cids.Take(3))} / {string.Join(' ', cids)}");
        }
        var (block, small, big) = (cids[0], cids[1], cids[2]);
        await b.RunAsync("swarm", "connect", a.Address);

        var systems = new[] { ("", gatewayA), ("js/", jsA.Url) };
        for (var run = 0; run < runs; run++)
        {
            foreach (var (prefix, gateway) in run % 2 == 0 ? systems : systems.Reverse())
            {
                foreach (var concurrency in new[] { 1, 16, 64 })
                {
                    var raw = (await HttpLoad.RunAsync($"{gateway}/ipfs/{block}?format=raw", concurrency, duration, 1L << 20)).Checked($"{prefix}raw");
                    Add($"{prefix}raw/{concurrency}/rps", raw.RequestsPerSecond);
                    Add($"{prefix}raw/{concurrency}/p99", raw.P99Ms);
                    var file = (await HttpLoad.RunAsync($"{gateway}/ipfs/{small}", concurrency, duration, 4096)).Checked($"{prefix}small");
                    Add($"{prefix}small/{concurrency}/rps", file.RequestsPerSecond);
                    Add($"{prefix}small/{concurrency}/p99", file.P99Ms);
                }
            }
            var health = (await HttpLoad.RunAsync($"{gatewayA}/health", 16, duration, -1)).Checked("health");
            Add("health/rps", health.RequestsPerSecond);
        }

        using (var http = new HttpClient())
        {
            for (var i = 0; i < samples; i++)
            {
                var (local, hop) = (files[3 + 2 * i], files[4 + 2 * i]);
                Func<Task>[] parts =
                [
                    async () =>
                    {
                        Add("ttfb/local", await HttpLoad.TimeToFirstByteMsAsync(http, $"{gatewayA}/ipfs/{await a.RunAsync("add", "-Q", local)}"));
                        Add("ttfb/hop", await HttpLoad.TimeToFirstByteMsAsync(http, $"{gatewayB}/ipfs/{await a.RunAsync("add", "-Q", hop)}"));
                    },
                    async () =>
                    {
                        Add("js/ttfb/local", await HttpLoad.TimeToFirstByteMsAsync(http, $"{jsA.Url}/ipfs/{jsA.Cids[3 + 2 * i]}"));
                        Add("js/ttfb/hop", await HttpLoad.TimeToFirstByteMsAsync(http, $"{jsB.Url}/ipfs/{jsA.Cids[4 + 2 * i]}"));
                    },
                ];
                foreach (var part in i % 2 == 0 ? parts : parts.Reverse())
                {
                    await part();
                }
            }
        }
        files.ForEach(File.Delete);

        a.ResetPeakRss();
        var idle = a.PeakRssMiB();
        (await HttpLoad.RunAsync($"{gatewayA}/ipfs/{big}", Readers, duration, BigFile)).Checked("64 MiB readers");
        Add("rss/20", a.PeakRssMiB());
        jsA.ResetPeakRss();
        var jsIdle = jsA.PeakRssMiB();
        (await HttpLoad.RunAsync($"{jsA.Url}/ipfs/{big}", Readers, duration, BigFile)).Checked("js/64 MiB readers");
        Add("js/rss/20", jsA.PeakRssMiB());
        return Rows(context, s, idle, jsIdle, $"{load} → {DaemonBitswapScenario.Load()}");
    }

    private static async Task<string> WriteAsync(BenchContext context, string name, long bytes)
    {
        var path = Path.Combine(context.WorkDir, name);
        await using var content = new RandomContent(bytes);
        await using var output = File.Create(path);
        await content.CopyToAsync(output);
        return path;
    }

    private static IReadOnlyList<BenchmarkRow> Rows(BenchContext context, Dictionary<string, Samples> s, double idleRss, double jsIdleRss, string load)
    {
        var rows = new List<BenchmarkRow>();
        foreach (var (key, what) in new[] { ("raw", "cached 1 MiB raw block (`?format=raw`)"), ("small", "cached 4 KiB UnixFS file") })
        {
            foreach (var concurrency in new[] { 1, 16, 64 })
            {
                var rps = $"{key}/{concurrency}/rps";
                rows.Add(GatewayRow.Create(context, $"gateway requests/s, {what}, concurrency {concurrency}", "req/s", s[rps], s[$"js/{rps}"], key == "raw"
                    ? $"{s[rps].Median:0} MiB/s of bodies (Helia {s[$"js/{rps}"].Median:0}); own HTTP/1.1 keep-alive client in the bench process on the same 2 cores; 1-min load {load}"
                    : $"own HTTP/1.1 keep-alive client; `/health` (no content, a small JSON) does {s["health/rps"].Median:0} req/s at 16 on this machine"));
                var p99 = $"{key}/{concurrency}/p99";
                rows.Add(GatewayRow.Create(context, $"gateway p99 latency, {what}, concurrency {concurrency}", "ms", s[p99], s[$"js/{p99}"], "request sent to last body byte; lower is better"));
            }
        }
        rows.Add(GatewayRow.Create(context, "gateway `/health` requests/s at concurrency 16 (this server's ceiling here)", "req/s", s["health/rps"], null,
            "no Helia row: its gateway here is verified-fetch behind node:http, with no health route"));
        rows.Add(GatewayRow.Create(context, "gateway time to first byte, 256 KiB file added on the same daemon", "ms", s["ttfb/local"], s["js/ttfb/local"],
            "fresh content each sample (read from the repo, not a cache; Helia: added at its start, first read here); lower is better"));
        rows.Add(GatewayRow.Create(context, "gateway time to first byte, 256 KiB file one hop away (bitswap from another daemon)", "ms", s["ttfb/hop"], s["js/ttfb/hop"],
            "daemon B's gateway, content added on A just before; includes the want/block round trip (Helia: gateway B dialed A, bitswap without a session, as it has no content routing here); lower is better"));
        rows.Add(GatewayRow.Create(context, $"gateway peak RSS, {Readers} concurrent readers of a 64 MiB file", "MiB", s["rss/20"], s["js/rss/20"],
            $"VmHWM of the daemon (Helia: the node process) after a reset; {idleRss:0} MiB (Helia {jsIdleRss:0}) just before the readers started; lower is better"));
        return rows;
    }
}
