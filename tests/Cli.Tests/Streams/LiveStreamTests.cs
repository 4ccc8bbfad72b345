using System.Diagnostics;
using Overlay.Streams;
using Overlay.Bridge.Ffmpeg;
using Overlay.Bridge.Import;
using Overlay.Bridge.Live;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Xunit.Abstractions;

namespace Overlay.Cli.Tests.Streams;

/// <summary>
/// Issue 5's end-to-end runs on three in-process nodes A ↔ B ↔ C: a 60 s VOD and a live stream
/// that ffmpeg writes in real time; every segment at C is byte-identical to A's and decodes with
/// ffprobe; the live run reports publish-to-available latency per hop.
/// </summary>
public sealed class LiveStreamTests(ITestOutputHelper output)
{
    private const int TestTimeoutMilliseconds = 180_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact(Timeout = TestTimeoutMilliseconds)]
    public async Task A_60_s_vod_reaches_C_through_B_byte_for_byte_and_every_segment_decodes()
    {
        await using var chain = await StreamChain.StartAsync();
        var video = Path.Combine(chain.Root, "clip.mp4");
        await new FfmpegRunner().FfmpegAsync(["-v", "error", .. Lavfi(60), "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", video]);
        var key = Ed25519PrivateKey.Generate();
        foreach (var node in chain.Nodes[1..])
        {
            node.Streams.Follow(key.PeerId);
        }
        var imported = await new VodImporter(chain.A.LocalBlocks, new FfmpegRunner(), new VodImportOptions { Import = new HlsImportOptions { Key = key, Title = "vod" } }).ImportAsync(video);
        var head = imported.Stream.Head;
        await chain.A.Streams.PublishAsync(head);
        Assert.True(head.Head.Size >= 15, $"{head.Head.Size} segments");
        foreach (var node in chain.Nodes[1..])
        {
            await StreamChain.WaitHeldAsync(node, head, Timeout);
        }
        await chain.AssertSameAndDecodableAsync(head);
        Assert.False(chain.Nodes[2].Streams.GetStatus(key.PeerId)!.Live);
    }

    [Fact(Timeout = TestTimeoutMilliseconds)]
    public async Task A_live_stream_written_in_real_time_reaches_C_through_B_with_per_hop_latency()
    {
        await using var chain = await StreamChain.StartAsync();
        var folder = Directory.CreateDirectory(Path.Combine(chain.Root, "live")).FullName;
        var key = Ed25519PrivateKey.Generate();
        foreach (var node in chain.Nodes[1..])
        {
            node.Streams.Follow(key.PeerId);
        }

        // 30 s of test pattern, written as 2 s MPEG-TS segments as fast as a camera would.
        using var stopEncoder = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var encoder = new FfmpegRunner().FfmpegAsync(["-v", "error", "-re", .. Lavfi(30), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "50", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
            "-f", "hls", "-hls_time", "2", "-hls_list_size", "0", "-hls_playlist_type", "event", Path.Combine(folder, "index.m3u8")], stopEncoder.Token);
        LivePlaylistWatcher? watcher = null;
        var publication = await chain.A.Streams.PublishLiveAsync(key, first =>
        {
            watcher = new LivePlaylistWatcher(chain.A.LocalBlocks, new LiveImportOptions { Import = new HlsImportOptions { Key = key, Title = "live", Class = PriorityClass.Live }, FirstSeq = first });
            return watcher.WatchAsync(Path.Combine(folder, "index.m3u8"), encoder).Select(b => b.Signed);
        }, () => watcher!.Metadata);

        var first = await publication.FirstHead.WaitAsync(Timeout);
        Assert.False(first.Head.Sealed);
        await StreamChain.WaitHeldAsync(chain.Nodes[2], first, Timeout);
        Assert.True(chain.Nodes[2].Streams.GetStatus(key.PeerId)!.Live);
        var sealedHead = await publication.Completion.WaitAsync(TimeSpan.FromSeconds(90));
        await encoder;
        Assert.NotNull(sealedHead);
        Assert.True(sealedHead.Head.Sealed);
        Assert.True(sealedHead.Head.Size >= 12, $"{sealedHead.Head.Size} segments");
        Assert.Equal("live", sealedHead.Head.Metadata.Title);
        foreach (var node in chain.Nodes[1..])
        {
            await StreamChain.WaitHeldAsync(node, sealedHead, Timeout);
        }
        await chain.AssertSameAndDecodableAsync(sealedHead);

        // Publish-to-available per hop: A announced the head with bundle i; B, then C, held it.
        var announced = publication.AnnouncedAt();
        var atB = chain.Nodes[1].Streams.HeldTimestamps(key.PeerId);
        var atC = chain.Nodes[2].Streams.HeldTimestamps(key.PeerId);
        var hop1 = Latencies(announced, atB);
        var hop2 = Latencies(atB, atC);
        var total = Latencies(announced, atC);
        output.WriteLine($"{sealedHead.Head.Size} segments; A→B p50 {P(hop1, 50):F0} ms p99 {P(hop1, 99):F0} ms; B→C p50 {P(hop2, 50):F0} ms p99 {P(hop2, 99):F0} ms; A→C p50 {P(total, 50):F0} ms p99 {P(total, 99):F0} ms");
        Assert.Equal(sealedHead.Head.Size, total.Count);
        Assert.True(P(total, 99) < 10_000, $"A→C p99 {P(total, 99):F0} ms");
        // A late copy of an older head (gossip under load can reorder) is ignored, not a failure; anything else is.
        Assert.DoesNotContain(chain.Nodes[2].Streams.Metrics.HeadsRejected, r => r.Key != HeadRejection.Replay && r.Value > 0);
    }

    private static string[] Lavfi(int seconds) =>
        ["-f", "lavfi", "-i", $"testsrc=size=160x120:rate=25:duration={seconds}", "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={seconds}"];

    /// <summary>Milliseconds from <paramref name="from"/> to <paramref name="to"/> for each seq both hold.</summary>
    private static List<double> Latencies(IReadOnlyDictionary<long, long> from, IReadOnlyDictionary<long, long> to) =>
        [.. from.Where(f => to.ContainsKey(f.Key)).Select(f => Stopwatch.GetElapsedTime(f.Value, to[f.Key]).TotalMilliseconds).Order()];

    private static double P(List<double> sorted, int percentile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
}
