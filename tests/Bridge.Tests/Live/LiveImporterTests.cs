using Overlay.Bridge.Import;
using Overlay.Bridge.Live;
using Overlay.Bridge.Tests.Ffmpeg;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;

namespace Overlay.Bridge.Tests.Live;

/// <summary>ffmpeg reading a live input (specs/stream-import.md §5): segment length whatever the input's GOP.</summary>
public sealed class LiveImporterTests(TestVideos videos) : IClassFixture<TestVideos>
{
    [Fact(Timeout = 120_000)]
    public async Task A_file_with_10_s_keyframe_intervals_played_live_is_cut_into_2_s_segments_that_decode()
    {
        var store = new MemoryBlockStore();
        var importer = new LiveImporter(store, videos.Runner, new LiveImportOptions
        {
            Import = new HlsImportOptions { Key = Ed25519PrivateKey.Generate(), Title = "cam", Class = PriorityClass.Live },
            PollInterval = TimeSpan.FromMilliseconds(100),
        });
        var bundles = new List<LiveBundle>();
        // The 12 s file is read at its native rate: about 12 s of wall time.
        await foreach (var bundle in importer.ImportAsync(videos.H264LongGopMp4))
        {
            bundles.Add(bundle);
        }

        // Copied, the video would be cut at its keyframes: 10 s and 2 s.
        Assert.InRange(bundles.Count, 5, 7);
        using var folder = new TempFolder();
        var total = TimeSpan.Zero;
        foreach (var (bundle, i) in bundles.Select((b, i) => (b.Signed.Bundle, i)))
        {
            Assert.Equal(i, bundle.Seq);
            Assert.InRange(bundle.Duration, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(2.5));
            total += bundle.Duration;
            using var bytes = new MemoryStream();
            await foreach (var chunk in new UnixFsReader(store).ReadAsync(bundle.Payload))
            {
                bytes.Write(chunk.Span);
            }
            var segment = Path.Combine(folder.Path, $"seg{i}.ts");
            await File.WriteAllBytesAsync(segment, bytes.ToArray());
            await videos.DecodeAsync(segment);
        }
        Assert.InRange(total.TotalSeconds, 11.5, 12.5);
    }
}
