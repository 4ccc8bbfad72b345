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
/// No peer column: there is no js gateway to run beside it.
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
        void Add(string key, double value)
        {
            if (!s.TryGetValue(key, out var found))
            {
                s[key] = found = new Samples();
            }
            found.Add(value);
        }
        await using var a = await DaemonUnderTest.StartAsync(context.OverlayCli, Path.Combine(context.WorkDir, "gw-a"));
        await using var b = await DaemonUnderTest.StartAsync(context.OverlayCli, Path.Combine(context.WorkDir, "gw-b"));
        await a.RunAsync("key", "gen", "bench");
        var address = (await a.RunAsync("publish", clip, "--key", "bench", "--title", "bench clip")).Split('\n')[^1].Trim();
        await b.RunAsync("swarm", "connect", a.Address);
        await b.RunAsync("follow", address);
        using var http = Client(b);
        var playlist = await http.GetStringAsync($"/play/{address}");
        var segments = playlist.Split('\n').Where(l => l.StartsWith("/segment/", StringComparison.Ordinal)).ToArray();
        var segmentBytes = 0L;
        foreach (var segment in segments)
        {
            segmentBytes += (await http.GetByteArrayAsync(segment)).Length;
        }
        for (var run = 0; run < runs; run++)
        {
            var lists = await HttpLoad.RunAsync(http, _ => $"/play/{address}", Clients, duration);
            Add("playlist req/s", lists.RequestsPerSecond);
            Add("playlist p99", lists.P99Ms);
            var cached = await HttpLoad.RunAsync(http, i => segments[i % segments.Length], Clients, duration);
            Add("segment req/s", cached.RequestsPerSecond);
            Add("segment MB/s", cached.MegabytesPerSecond);
            Add("segment p99", cached.P99Ms);
            foreach (var segment in segments)
            {
                Add("first byte local", await HttpLoad.TimeToFirstByteMsAsync(http, segment));
            }
            b.ResetPeakRss();
            await Task.WhenAll(Enumerable.Range(0, Viewers).Select(async _ =>
            {
                await http.GetStringAsync($"/play/{address}");
                foreach (var segment in segments)
                {
                    await http.GetByteArrayAsync(segment);
                }
            }));
            Add("rss 20 viewers", b.PeakRssMiB());

            await using var c = await DaemonUnderTest.StartAsync(context.OverlayCli, Path.Combine(context.WorkDir, $"gw-c{run}"));
            await c.RunAsync("swarm", "connect", a.Address);
            using var hop = Client(c);
            await hop.GetStringAsync($"/play/{address}");
            Add("first byte one hop", await HttpLoad.TimeToFirstByteMsAsync(hop, segments[^1]));
        }
        File.Delete(clip);
        var note = $"{segments.Length} segments, {segmentBytes / segments.Length / 1024} KiB each on average; 1-min load average before → after: {load} → {DaemonBitswapScenario.Load()}";
        return
        [
            Row(context, "gateway: playlist requests, 32 clients, local", "req/s", s["playlist req/s"], note),
            Row(context, "gateway: playlist p99 latency, 32 clients", "ms", s["playlist p99"], note),
            Row(context, "gateway: cached segment requests, 32 clients", "req/s", s["segment req/s"], note),
            Row(context, "gateway: cached segment throughput, 32 clients", "MB/s", s["segment MB/s"], note),
            Row(context, "gateway: cached segment p99 latency, 32 clients", "ms", s["segment p99"], note),
            Row(context, "gateway: time to first segment byte, local", "ms", s["first byte local"], note),
            Row(context, "gateway: time to first segment byte, one hop", "ms", s["first byte one hop"], "a fresh node connected to the publisher only; the playlist request made it follow the stream; " + note),
            Row(context, "gateway: daemon peak RSS, 20 concurrent viewers", "MiB", s["rss 20 viewers"], note),
        ];
    }

    private static HttpClient Client(DaemonUnderTest daemon)
    {
        var gateway = File.ReadAllText(Path.Combine(daemon.Repo, "gateway")).Trim().Split('/');
        return HttpLoad.CreateClient(Clients * 2, new Uri($"http://{IPAddress.Parse(gateway[2])}:{gateway[4]}"));
    }

    private static BenchmarkRow Row(BenchContext context, string label, string unit, Samples samples, string note) =>
        new(label, unit, Math.Round(samples.Median, 2), null, null, null, samples.Count, context.Today)
        {
            OverlayMin = samples.Min,
            OverlayMax = samples.Max,
            Note = note,
        };
}
