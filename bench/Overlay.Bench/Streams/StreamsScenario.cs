using System.Diagnostics;
using System.Text;
using Overlay.Bridge.Import;
using Overlay.Manifest.Keys;
using Overlay.Repo;

namespace Overlay.Bench.Streams;

/// <summary>
/// Streams (issue 5): the VOD publish rate of a 1 GiB HLS folder into an on-disk repo (HlsImporter:
/// UnixFS payloads, signed bundles, page tree and sealed head), and live publish-to-available
/// latency and bytes on the wire per payload byte delivered across chains of 1, 3 and 6 hops and
/// a 20-node random overlay, for Overlay (<see cref="LiveTopology"/>) and side by side for Helia
/// over the same graph (<see cref="LiveJsTopology"/>, tests/js/bench-live.mjs). The VOD import has
/// no js counterpart (Helia has no signed-stream publisher).
/// </summary>
internal sealed class StreamsScenario : IScenario
{
    private const int SegmentBytes = 4 << 20;

    public string Name => "streams";

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchContext context)
    {
        var rows = new List<BenchmarkRow> { await VodImportAsync(context) };
        var segments = context.Quick ? 15 : 40;
        // Two more are published first on both sides and not timed: the first segment through a fresh
        // process pays for cold code (JIT on .NET, V8's compile tiers), and with 15 samples p99 is the maximum.
        const int warmup = 2;
        (string Name, int Nodes, Func<int, Random, IEnumerable<int>> Dials, bool LastOnly)[] topologies =
        [
            ("chain of 1 hop", 2, (i, _) => [i - 1], true),
            ("chain of 3 hops", 4, (i, _) => [i - 1], true),
            ("chain of 6 hops", 7, (i, _) => [i - 1], true),
            ("20-node random overlay (3 links per node)", 20, (i, random) => Enumerable.Range(0, i).OrderBy(_ => random.Next()).Take(3), false),
        ];
        for (var t = 0; t < topologies.Length; t++)
        {
            var (name, nodes, dials, lastOnly) = topologies[t];
            var plan = LiveTopology.Plan(nodes, dials);
            var load = P2p.Libp2pScenario.LoadAverage();
            // The two systems alternate which goes first, so neither always runs on the machine the other just warmed or loaded.
            LiveResult overlay, js;
            if (t % 2 == 0)
            {
                overlay = await LiveTopology.RunAsync(Path.Combine(context.WorkDir, "live-" + nodes), plan, lastOnly, segments + warmup, warmup);
                js = await LiveJsTopology.RunAsync(context, plan, lastOnly, segments + warmup, warmup);
            }
            else
            {
                js = await LiveJsTopology.RunAsync(context, plan, lastOnly, segments + warmup, warmup);
                overlay = await LiveTopology.RunAsync(Path.Combine(context.WorkDir, "live-" + nodes), plan, lastOnly, segments + warmup, warmup);
            }
            var delivery = js.Lost + js.Refetches == 0 ? "" : $"js: {js.Lost} of {js.Latencies.Count + js.Lost} deliveries never came within 30 s (left out of its percentiles), followers asked again {js.Refetches} times after 10 s without the block; ";
            var note = $"{delivery}one run per system, {overlay.Latencies.Count} samples each ({(lastOnly ? "the last node" : "every follower")} × {segments} segments of {LiveTopology.SegmentBytes / 1000} kB every {LiveTopology.Interval.TotalMilliseconds:0} ms, after {warmup} untimed ones; both sides wait for their gossipsub meshes first), min–max of the samples; " +
                $"all nodes of a system in one process on loopback TCP through counting relays, the same dial plan for both; Overlay follows a signed live stream (bundle, page tree and payload); js nodes get {{seq, cid}} on gossipsub and read the CID with unixfs cat, bitswap sending a block it stores at once to the peers whose wants it holds (nothing to add), with gossipsub's IP-colocation penalty off (all nodes on 127.0.0.1); " +
                $"{(t % 2 == 0 ? "Overlay" : "js")} ran first; lower is better; 1-min load average before → after: {load} → {P2p.Libp2pScenario.LoadAverage()}";
            rows.Add(Latency($"live publish-to-available, {name}, p50", overlay.Latencies, js.Latencies, 50, context, note));
            rows.Add(Latency($"live publish-to-available, {name}, p99", overlay.Latencies, js.Latencies, 99, context, note));
            rows.Add(new BenchmarkRow($"bytes on the wire per payload byte delivered, {name}", "ratio", Math.Round(overlay.WireRatio, 3), Math.Round(js.WireRatio, 3), LiveJsTopology.PeerName, Math.Round(js.WireRatio / overlay.WireRatio, 2), 1, context.Today)
            {
                OverlayMin = overlay.WireRatio, OverlayMax = overlay.WireRatio, PeerMin = js.WireRatio, PeerMax = js.WireRatio,
                Note = $"all links' bytes both ways (TCP payload: Noise, yamux, pubsub, bitswap) / (payload bytes × followers); lower is better; bitswap blocks received twice / received: Overlay {overlay.DuplicateBlocks} / {overlay.BlocksReceived}, js {js.DuplicateBlocks} / {js.BlocksReceived} (counted by the script from bitswap's 'block' events: @helia/bitswap registers duplicate-block metrics but never increments them)",
            });
        }
        return rows;
    }

    private static BenchmarkRow Latency(string scenario, List<double> overlay, List<double> js, int percentile, BenchContext context, string note)
    {
        var o = Percentile(overlay, percentile);
        var j = Percentile(js, percentile);
        return new BenchmarkRow(scenario, "ms", Math.Round(o, 1), Math.Round(j, 1), LiveJsTopology.PeerName, Math.Round(j / o, 2), 1, context.Today)
        {
            OverlayMin = overlay[0], OverlayMax = overlay[^1], PeerMin = js[0], PeerMax = js[^1], Note = note,
        };
    }

    private static double Percentile(List<double> sorted, int percentile) =>
        sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];

    /// <summary>An HLS folder of 4 MiB MPEG-TS-shaped segments (1 GiB; 256 MiB with --quick) imported into a fresh repo per run.</summary>
    private static async Task<BenchmarkRow> VodImportAsync(BenchContext context)
    {
        var total = context.Quick ? 256L << 20 : 1L << 30;
        var folder = Directory.CreateDirectory(Path.Combine(context.WorkDir, "vod-hls")).FullName;
        WriteFolder(folder, (int)(total / SegmentBytes));
        var rates = new Samples();
        var load = P2p.Libp2pScenario.LoadAverage();
        for (var run = 0; run < context.Runs; run++)
        {
            var path = Path.Combine(context.WorkDir, $"vod-repo-{run}");
            var key = Ed25519PrivateKey.Generate();
            var repo = OverlayRepo.Init(path, key.ToProtobuf(), key.PeerId.ToString());
            var watch = Stopwatch.StartNew();
            var result = await new HlsImporter(repo.Blocks, new HlsImportOptions { Key = key, Title = "bench" }).ImportAsync(folder);
            rates.Add(total / 1e6 / watch.Elapsed.TotalSeconds);
            if (result.Bundles.Count != total / SegmentBytes)
            {
                throw new InvalidOperationException($"imported {result.Bundles.Count} bundles, expected {total / SegmentBytes}");
            }
            Directory.Delete(path, recursive: true);
        }
        Directory.Delete(folder, recursive: true);
        var sha = ReferenceScenario.Sha256MegabytesPerSecond;
        return new BenchmarkRow($"stream publish (VOD HLS folder {(context.Quick ? "256 MiB" : "1 GiB")} into an on-disk repo)", "MB/s", Math.Round(rates.Median, 1), null, null, null, rates.Count, context.Today)
        {
            OverlayMin = rates.Min, OverlayMax = rates.Max,
            Note = (sha > 0 ? $"{rates.Median / sha:P0} of one core's SHA-256 rate; " : "") + $"4 MiB segments; UnixFS, bundle signing, page tree and sealed head, fsync per block; 1-min load average before → after: {load} → {P2p.Libp2pScenario.LoadAverage()}",
        };
    }

    private static void WriteFolder(string folder, int count)
    {
        var playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-PLAYLIST-TYPE:VOD\n");
        var bytes = new byte[SegmentBytes];
        var random = new Random(5);
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            for (var p = 0; p < bytes.Length; p += 188)
            {
                bytes[p] = 0x47;
            }
            File.WriteAllBytes(Path.Combine(folder, $"s{i:D5}.ts"), bytes);
            playlist.Append($"#EXTINF:4.000,\ns{i:D5}.ts\n");
        }
        File.WriteAllText(Path.Combine(folder, "index.m3u8"), playlist.Append("#EXT-X-ENDLIST\n").ToString());
    }
}
