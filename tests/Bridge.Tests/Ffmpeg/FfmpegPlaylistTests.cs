using Overlay.Bridge.Hls;
using Overlay.Bridge.Import;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;

namespace Overlay.Bridge.Tests.Ffmpeg;

/// <summary>Playlists exactly as ffmpeg's HLS muxer writes them: parsed, imported, decoded.</summary>
public sealed class FfmpegPlaylistTests(TestVideos videos) : IClassFixture<TestVideos>
{
    private static readonly Ed25519PrivateKey Key = Ed25519PrivateKey.Generate();

    [Fact]
    public async Task Single_file_hls_with_byte_ranges_is_cut_into_one_payload_per_range()
    {
        using var output = new TempFolder();
        await videos.Runner.FfmpegAsync(["-v", "error", "-i", videos.H264Mp4, "-c", "copy", "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod",
            "-hls_flags", "single_file", Path.Combine(output.Path, "index.m3u8")]);
        var playlist = Assert.IsType<HlsMediaPlaylist>(HlsPlaylistParser.Parse(
            await File.ReadAllBytesAsync(Path.Combine(output.Path, "index.m3u8")), new Uri(Path.Combine(output.Path, "index.m3u8"))));
        Assert.True(playlist.EndList);
        Assert.Equal(HlsPlaylistType.Vod, playlist.PlaylistType);
        Assert.All(playlist.Segments, s => Assert.NotNull(s.ByteRange));
        Assert.Single(playlist.Segments.Select(s => s.Uri).Distinct());

        var store = new MemoryBlockStore();
        var result = await new HlsImporter(store, new HlsImportOptions { Key = Key }).ImportAsync(output.Path);
        var verified = await StreamCheck.VerifyAsync(store, result.Head);
        var file = await File.ReadAllBytesAsync(playlist.Segments[0].Uri.LocalPath);
        Assert.Equal(playlist.Segments.Count, verified.Count);
        for (var i = 0; i < verified.Count; i++)
        {
            var range = playlist.Segments[i].ByteRange!.Value;
            Assert.Equal(file.AsSpan((int)range.Offset, (int)range.Length).ToArray(), verified[i].Payload);
            var check = Path.Combine(output.Path, $"check{i}.ts");
            await File.WriteAllBytesAsync(check, verified[i].Payload);
            await videos.DecodeAsync(check);
        }
    }

    [Fact]
    public async Task Master_playlist_with_two_variants_imports_both_renditions()
    {
        using var output = new TempFolder();
        await videos.Runner.FfmpegAsync(["-v", "error", "-i", videos.H264Mp4,
            "-map", "0:v", "-map", "0:a", "-map", "0:v", "-map", "0:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-c:a", "aac",
            "-s:v:0", "160x120", "-b:v:0", "300k", "-s:v:1", "96x72", "-b:v:1", "100k",
            "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
            "-master_pl_name", "master.m3u8", "-var_stream_map", "v:0,a:0 v:1,a:1",
            "-hls_segment_filename", Path.Combine(output.Path, "v%v", "s%03d.m4s"),
            Path.Combine(output.Path, "v%v", "index.m3u8")]);
        var master = Assert.IsType<HlsMasterPlaylist>(HlsPlaylistParser.Parse(
            await File.ReadAllBytesAsync(Path.Combine(output.Path, "master.m3u8")), new Uri(Path.Combine(output.Path, "master.m3u8"))));
        Assert.Equal(2, master.Variants.Count);

        var store = new MemoryBlockStore();
        var result = await new HlsImporter(store, new HlsImportOptions { Key = Key, Title = "two variants" }).ImportAsync(output.Path);
        var renditions = result.Head.Head.Metadata.Renditions;
        Assert.Equal(["v0", "v1"], renditions.Select(r => r.Id));
        Assert.Equal((160, 120), (renditions[0].Width, renditions[0].Height));
        Assert.Equal((96, 72), (renditions[1].Width, renditions[1].Height));
        Assert.All(renditions, r => Assert.StartsWith("avc1.", r.Codecs, StringComparison.Ordinal));
        var verified = await StreamCheck.VerifyAsync(store, result.Head);
        foreach (var id in new[] { "v0", "v1" })
        {
            var bundles = verified.Where(v => v.Bundle.Bundle.Rendition == id).ToArray();
            var init = Assert.Single(bundles, b => b.Bundle.Bundle.Kind == BundleKind.Init);
            var media = bundles.Where(b => b.Bundle.Bundle.Kind == BundleKind.Media).ToArray();
            Assert.Equal(3, media.Length);
            Assert.All(media, m => Assert.Equal(init.Bundle.Bundle.Seq, m.Bundle.Bundle.InitSeq));
            var check = Path.Combine(output.Path, $"check-{id}.mp4");
            await File.WriteAllBytesAsync(check, [.. init.Payload, .. media[2].Payload]);
            await videos.DecodeAsync(check);
        }
    }
}
