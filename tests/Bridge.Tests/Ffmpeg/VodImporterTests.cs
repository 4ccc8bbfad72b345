using System.Diagnostics;
using Overlay.Bridge.Ffmpeg;
using Overlay.Bridge.Import;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;

namespace Overlay.Bridge.Tests.Ffmpeg;

public sealed class VodImporterTests(TestVideos videos) : IClassFixture<TestVideos>
{
    private static readonly Ed25519PrivateKey Key = Ed25519PrivateKey.Generate();

    private async Task<(VodImportResult Result, IReadOnlyList<(SignedBundle Bundle, byte[] Payload)> Verified, MemoryBlockStore Store)> ImportAsync(
        string input, HlsSegmentType type, string output)
    {
        var store = new MemoryBlockStore();
        var importer = new VodImporter(store, videos.Runner, new VodImportOptions
        {
            Import = new HlsImportOptions { Key = Key, Title = "test pattern" },
            SegmentType = type,
            OutputFolder = output,
        });
        var result = await importer.ImportAsync(input);
        return (result, await StreamCheck.VerifyAsync(store, result.Stream.Head), store);
    }

    [Fact]
    public async Task H264_aac_is_copied_into_ts_segments_identical_to_ffmpegs_files()
    {
        using var output = new TempFolder();
        var (result, verified, _) = await ImportAsync(videos.H264Mp4, HlsSegmentType.MpegTs, output.Path);

        Assert.True(result.Plan.CopyVideo);
        Assert.True(result.Plan.CopyAudio);
        Assert.Null(result.CopiedLongestSegment);
        Assert.False(result.Plan.TranscodedForKeyframes);
        Assert.Equal("h264", result.Probe.Video!.Codec);
        var files = Directory.GetFiles(output.Path, "*.ts").Order(StringComparer.Ordinal).ToArray();
        Assert.InRange(files.Length, 2, 6);
        Assert.Equal(files.Length, verified.Count);
        for (var i = 0; i < files.Length; i++)
        {
            Assert.Equal(await File.ReadAllBytesAsync(files[i]), verified[i].Payload);
            Assert.Equal("video/mp2t", verified[i].Bundle.Bundle.MediaType);
            Assert.InRange(verified[i].Bundle.Bundle.Duration, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6.1));
            var reassembled = Path.Combine(output.Path, $"check{i}.ts");
            await File.WriteAllBytesAsync(reassembled, verified[i].Payload);
            await videos.DecodeAsync(reassembled);
        }
        var total = verified.Aggregate(TimeSpan.Zero, (sum, v) => sum + v.Bundle.Bundle.Duration);
        Assert.InRange(total.TotalSeconds, 11.5, 12.5);
        Assert.True(result.Stream.Head.Head.Sealed);
    }

    [Fact]
    public async Task H264_with_10_s_keyframe_intervals_is_transcoded_into_segments_of_at_most_6_s()
    {
        using var output = new TempFolder();
        var (result, verified, _) = await ImportAsync(videos.H264LongGopMp4, HlsSegmentType.MpegTs, output.Path);

        // The copy pass cut at the keyframes (10 s), was discarded, and the video transcoded.
        Assert.InRange(result.CopiedLongestSegment!.Value.TotalSeconds, 9.5, 10.5);
        Assert.False(result.Plan.CopyVideo);
        Assert.True(result.Plan.TranscodedForKeyframes);
        Assert.True(result.Plan.CopyAudio);
        Assert.Contains("libx264", result.Plan.Arguments);
        var files = Directory.GetFiles(output.Path, "*.ts").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(files.Length, verified.Count);
        Assert.Equal(3, verified.Count);
        for (var i = 0; i < verified.Count; i++)
        {
            Assert.Equal(await File.ReadAllBytesAsync(files[i]), verified[i].Payload);
            Assert.InRange(verified[i].Bundle.Bundle.Duration, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6));
            var segment = Path.Combine(output.Path, $"check{i}.ts");
            await File.WriteAllBytesAsync(segment, verified[i].Payload);
            var probe = await MediaProbe.RunAsync(videos.Runner, segment);
            Assert.Equal("h264", probe.Video!.Codec);
            Assert.InRange(probe.Duration!.Value.TotalSeconds, 3.5, 4.5);
            await videos.DecodeAsync(segment);
        }
    }

    [Fact]
    public async Task Keyframe_spacing_is_read_from_packet_flags()
    {
        var shortGop = await KeyframeProbe.LongestIntervalAsync(videos.Runner, videos.H264Mp4, (await MediaProbe.RunAsync(videos.Runner, videos.H264Mp4)).Video!, TimeSpan.FromSeconds(10));
        Assert.InRange(shortGop!.Value.TotalSeconds, 1.9, 2.1);
        var longGop = await KeyframeProbe.LongestIntervalAsync(videos.Runner, videos.H264LongGopMp4, (await MediaProbe.RunAsync(videos.Runner, videos.H264LongGopMp4)).Video!, TimeSpan.FromSeconds(10));
        Assert.InRange(longGop!.Value.TotalSeconds, 9.5, 10.5);
        Assert.False(VodEncodePlan.CopyKeepsSegmentsShort(longGop, 2));
        Assert.True(VodEncodePlan.CopyKeepsSegmentsShort(shortGop, 2));
    }

    [Fact]
    public async Task H264_aac_is_copied_into_fmp4_with_an_init_section()
    {
        using var output = new TempFolder();
        var (result, verified, _) = await ImportAsync(videos.H264Mp4, HlsSegmentType.Fmp4, output.Path);

        var init = verified[0];
        Assert.Equal(BundleKind.Init, init.Bundle.Bundle.Kind);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(output.Path, "init.mp4")), init.Payload);
        var files = Directory.GetFiles(output.Path, "*.m4s").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(files.Length + 1, verified.Count);
        for (var i = 0; i < files.Length; i++)
        {
            var media = verified[i + 1];
            Assert.Equal(await File.ReadAllBytesAsync(files[i]), media.Payload);
            Assert.Equal(0L, media.Bundle.Bundle.InitSeq);
            Assert.Equal("video/mp4", media.Bundle.Bundle.MediaType);
            var reassembled = Path.Combine(output.Path, $"check{i}.mp4");
            await File.WriteAllBytesAsync(reassembled, [.. init.Payload, .. media.Payload]);
            await videos.DecodeAsync(reassembled);
        }
        Assert.Equal(result.Stream.Bundles.Count, verified.Count);
    }

    [Fact]
    public async Task Hevc_is_copied_into_fmp4_tagged_hvc1()
    {
        using var output = new TempFolder();
        var (result, verified, _) = await ImportAsync(videos.HevcMp4, HlsSegmentType.Fmp4, output.Path);

        Assert.True(result.Plan.CopyVideo);
        Assert.Equal("hevc", result.Probe.Video!.Codec);
        var init = verified[0];
        var reassembled = Path.Combine(output.Path, "check.mp4");
        await File.WriteAllBytesAsync(reassembled, [.. init.Payload, .. verified[^1].Payload]);
        var probe = await MediaProbe.RunAsync(videos.Runner, reassembled);
        Assert.Equal("hevc", probe.Video!.Codec);
        await videos.DecodeAsync(reassembled);
        Assert.True(Contains(init.Payload, "hvc1"u8), "the init section's sample entry is hvc1 (Apple players need it)");
    }

    private static bool Contains(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    [Fact]
    public async Task Mpeg4_and_mp2_are_transcoded_to_h264_and_aac()
    {
        using var output = new TempFolder();
        var (result, verified, _) = await ImportAsync(videos.Mpeg4Avi, HlsSegmentType.MpegTs, output.Path);

        Assert.Equal("mpeg4", result.Probe.Video!.Codec);
        Assert.Equal("mp2", result.Probe.Audio!.Codec);
        Assert.False(result.Plan.CopyVideo);
        Assert.False(result.Plan.CopyAudio);
        Assert.Contains("libx264", result.Plan.Arguments);
        Assert.Equal(3, verified.Count);
        var segment = Path.Combine(output.Path, "check.ts");
        await File.WriteAllBytesAsync(segment, verified[1].Payload);
        var probe = await MediaProbe.RunAsync(videos.Runner, segment);
        Assert.Equal("h264", probe.Video!.Codec);
        Assert.Equal("aac", probe.Audio!.Codec);
        Assert.InRange(probe.Duration!.Value.TotalSeconds, 3.5, 4.5);
    }

    [Fact]
    public async Task A_temporary_output_folder_is_removed_and_bad_input_is_a_typed_error()
    {
        var store = new MemoryBlockStore();
        var before = Directory.GetDirectories(Path.GetTempPath(), "overlay-vod-*").Length;
        var importer = new VodImporter(store, videos.Runner, new VodImportOptions { Import = new HlsImportOptions { Key = Key } });
        var result = await importer.ImportAsync(videos.H264Mp4);
        Assert.NotEmpty(result.Stream.Bundles);
        Assert.Equal(before, Directory.GetDirectories(Path.GetTempPath(), "overlay-vod-*").Length);

        using var folder = new TempFolder();
        var text = folder.File("not-video.mp4", "this is not a video file");
        var error = await Assert.ThrowsAsync<FfmpegException>(() => importer.ImportAsync(text));
        Assert.Equal("ffprobe", error.Message.Split(' ')[1]);
        Assert.NotEqual(0, error.ExitCode);
    }

    [Fact]
    public async Task Cancelling_kills_ffmpeg()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(800));
        var watch = Stopwatch.StartNew();
        var marker = $"testsrc=size=64x48:rate=5:duration={60 + Random.Shared.Next(1000)}";
        // -re makes ffmpeg take the full 60 s of wall time unless it is killed.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => videos.Runner.FfmpegAsync(
            ["-v", "error", "-re", "-f", "lavfi", "-i", marker, "-f", "null", "-"], cancel.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"cancellation took {watch.Elapsed}");
        if (OperatingSystem.IsLinux())
        {
            // The process (and any child) is gone, not merely detached from us.
            Assert.DoesNotContain(Directory.GetDirectories("/proc"), p => ReadCommandLine(p).Contains(marker, StringComparison.Ordinal));
        }
    }

    private static string ReadCommandLine(string procFolder)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procFolder, "cmdline"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
