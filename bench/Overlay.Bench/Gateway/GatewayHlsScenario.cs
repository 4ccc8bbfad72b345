using System.Net;
using Overlay.Bench.Bitswap;

namespace Overlay.Bench.Gateway;

/// <summary>
/// The gateway's HLS side between real <c>overlay daemon</c> processes (fresh repos, loopback):
/// A publishes a 60 s 640x360 H.264/AAC clip (4 s MPEG-TS segments); B follows it to completion.
/// On B, with every segment local: playlist and segment requests per second and p99 latency
/// under 32 concurrent clients (our own load client, <see cref="HttpLoad"/>); time to the first
/// byte of a segment; B's peak RSS while 20 viewers each read the playlist and every segment.
/// One hop: a fresh daemon C connected to A only is asked for the playlist (it follows the
/// stream), then for the last segment, which C does not hold yet: time to its first byte.
/// Beside it, in the same run with the order alternating per run: a Helia gateway
/// (<see cref="JsGateway"/>) holding the same segment bytes, each added as a UnixFS file, loaded
/// by the same client at /ipfs/&lt;cid&gt;; its one hop is a fresh Helia gateway that dialed the
/// first one. The playlist rows have no Helia counterpart: Helia has no HLS.
/// </summary>
internal sealed class GatewayHlsScenario : IScenario
{
    private const int Clients = 32;
    private const int Viewers = 20;

    public string Name => "gateway-hls";

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchContext context)
    {
        var load = DaemonBitswapScenario.Load();
        var runs = context.Quick ? 1 : 3;
        var duration = TimeSpan.FromSeconds(context.Quick ? 2 : 5);
        var clip = Path.Combine(context.WorkDir, "gateway-clip.mp4");
        await ProcessRunner.RunAsync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=60", "-f", "lavfi", "-i", "sine=frequency=440:duration=60",
            "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip]);
        var s = new Dictionary<string, Samples>();
        void Add(string key, double value) => Samples.AddTo(s, key, value);
        await using var a = await DaemonUnderTest.StartAsync(context.OverlayCli, Path.Combine(context.WorkDir, "gw-a"));
        await using var b = await DaemonUnderTest.StartAsync(context.OverlayCli, Path.Combine(context.WorkDir, "gw-b"));
        await a.RunAsync("key", "gen", "bench");
        var address = (await a.RunAsync("publish", clip, "--key", "bench", "--title", "bench clip")).Split('\n')[^1].Trim();
        await b.RunAsync("swarm", "connect", a.Address);
        await b.RunAsync("follow", address);
        using var http = Client(b);
        var playlist = await http.GetStringAsync($"/play/{address}");
        var segments = playlist.Split('\n').Where(l => l.StartsWith("/segment/", StringComparison.Ordinal)).ToArray();
        // The Helia gateway holds the same segment bytes, each added as a UnixFS file.
        var segmentBytes = 0L;
        var segmentFiles = new List<string>();
        for (var i = 0; i < segments.Length; i++)
        {
            var bytes = await http.GetByteArrayAsync(segments[i]);
            segmentBytes += bytes.Length;
            var file = Path.Combine(context.WorkDir, $"gateway-segment-{i}.ts");
            await File.WriteAllBytesAsync(file, bytes);
            segmentFiles.Add(file);
        }
        await using var js = await JsGateway.StartAsync(context, Path.Combine(context.WorkDir, "gw-js-a"), null, segmentFiles);
        segmentFiles.ForEach(File.Delete);
        using var jsHttp = HttpLoad.CreateClient(Clients * 2, new Uri(js.Url));
        var jsSegments = js.Cids.Select(cid => $"/ipfs/{cid}").ToArray();

        for (var run = 0; run < runs; run++)
        {
            Func<Task>[] parts =
            [
                async () =>
                {
                    var lists = (await HttpLoad.RunAsync(http, _ => $"/play/{address}", Clients, duration)).Checked("playlist");
                    Add("playlist req/s", lists.RequestsPerSecond);
                    Add("playlist p99", lists.P99Ms);
                    await SegmentsAsync("", http, segments, b.ResetPeakRss, b.PeakRssMiB, http => http.GetStringAsync($"/play/{address}"));
                    await using var c = await DaemonUnderTest.StartAsync(context.OverlayCli, Path.Combine(context.WorkDir, $"gw-c{run}"));
                    await c.RunAsync("swarm", "connect", a.Address);
                    using var hop = Client(c);
                    await hop.GetStringAsync($"/play/{address}");
                    Add("first byte one hop", await HttpLoad.TimeToFirstByteMsAsync(hop, segments[^1]));
                },
                async () =>
                {
                    await SegmentsAsync("js/", jsHttp, jsSegments, js.ResetPeakRss, js.PeakRssMiB, _ => Task.CompletedTask);
                    await using var c = await JsGateway.StartAsync(context, Path.Combine(context.WorkDir, $"gw-js-c{run}"), js.Address, []);
                    using var hop = HttpLoad.CreateClient(1, new Uri(c.Url));
                    Add("js/first byte one hop", await HttpLoad.TimeToFirstByteMsAsync(hop, jsSegments[^1]));
                },
            ];
            foreach (var part in run % 2 == 0 ? parts : parts.Reverse())
            {
                await part();
            }
        }
        File.Delete(clip);
        var note = $"{segments.Length} segments, {segmentBytes / segments.Length / 1024} KiB each on average; 1-min load average before → after: {load} → {DaemonBitswapScenario.Load()}";
        const string noPeer = "no Helia row: Helia has no HLS (no playlists), its gateway serves the segments only by CID; ";
        return
        [
            GatewayRow.Create(context, "gateway: playlist requests, 32 clients, local", "req/s", s["playlist req/s"], null, noPeer + note),
            GatewayRow.Create(context, "gateway: playlist p99 latency, 32 clients", "ms", s["playlist p99"], null, noPeer + note),
            GatewayRow.Create(context, "gateway: cached segment requests, 32 clients", "req/s", s["segment req/s"], s["js/segment req/s"], "Overlay /segment/<k51…>/<seq>.ts, Helia /ipfs/<cid> of the same bytes; " + note),
            GatewayRow.Create(context, "gateway: cached segment throughput, 32 clients", "MB/s", s["segment MB/s"], s["js/segment MB/s"], note),
            GatewayRow.Create(context, "gateway: cached segment p99 latency, 32 clients", "ms", s["segment p99"], s["js/segment p99"], "lower is better; " + note),
            GatewayRow.Create(context, "gateway: time to first segment byte, local", "ms", s["first byte local"], s["js/first byte local"], "every segment once; lower is better; " + note),
            GatewayRow.Create(context, "gateway: time to first segment byte, one hop", "ms", s["first byte one hop"], s["js/first byte one hop"], "a fresh node connected to the publisher only; the playlist request made it follow the stream (Helia: a fresh gateway that dialed the first one, asked for the last segment's CID, bitswap without a session); lower is better; " + note),
            GatewayRow.Create(context, "gateway: daemon peak RSS, 20 concurrent viewers", "MiB", s["rss 20 viewers"], s["js/rss 20 viewers"], "VmHWM after a reset (Helia: the node process); each viewer reads every segment (Overlay: and the playlist); lower is better; " + note),
        ];

        // Cached segment load, time to first byte of every segment, and peak RSS while 20 viewers read them all.
        async Task SegmentsAsync(string prefix, HttpClient client, string[] paths, Action resetRss, Func<double> peakRss, Func<HttpClient, Task> playlist)
        {
            var cached = (await HttpLoad.RunAsync(client, i => paths[i % paths.Length], Clients, duration)).Checked($"{prefix}segments");
            Add($"{prefix}segment req/s", cached.RequestsPerSecond);
            Add($"{prefix}segment MB/s", cached.MegabytesPerSecond);
            Add($"{prefix}segment p99", cached.P99Ms);
            foreach (var path in paths)
            {
                Add($"{prefix}first byte local", await HttpLoad.TimeToFirstByteMsAsync(client, path));
            }
            resetRss();
            await Task.WhenAll(Enumerable.Range(0, Viewers).Select(async _ =>
            {
                await playlist(client);
                foreach (var path in paths)
                {
                    await client.GetByteArrayAsync(path);
                }
            }));
            Add($"{prefix}rss 20 viewers", peakRss());
        }
    }

    private static HttpClient Client(DaemonUnderTest daemon)
    {
        var gateway = File.ReadAllText(Path.Combine(daemon.Repo, "gateway")).Trim().Split('/');
        return HttpLoad.CreateClient(Clients * 2, new Uri($"http://{IPAddress.Parse(gateway[2])}:{gateway[4]}"));
    }
}
