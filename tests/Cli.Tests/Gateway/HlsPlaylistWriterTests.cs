using Overlay.Gateway.Play;
using Overlay.Manifest.Streams;

namespace Overlay.Cli.Tests.Gateway;

public sealed class HlsPlaylistWriterTests
{
    private static readonly string A = TestBundles.Address;

    private static Bundle? NoInits(long seq) => null;

    [Fact]
    public void A_sealed_stream_is_a_VOD_playlist_of_every_segment_with_an_end()
    {
        Bundle[] media = [TestBundles.Media(0, 0), TestBundles.Media(1, 1), TestBundles.Media(2, 2, seconds: 2.5)];
        var text = HlsPlaylistWriter.Media(A, media, NoInits, sealedStream: true, window: 6);
        Assert.Equal(
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n" +
            $"#EXTINF:4.000,\n/segment/{A}/0.ts\n#EXTINF:4.000,\n/segment/{A}/1.ts\n#EXTINF:2.500,\n/segment/{A}/2.ts\n#EXT-X-ENDLIST\n",
            text);
    }

    [Fact]
    public void A_growing_stream_is_a_window_behind_the_live_edge_numbered_by_its_bundles()
    {
        var media = Enumerable.Range(0, 10).Select(i => TestBundles.Media(20 + i, 100 + i, seconds: 3.966667)).ToArray();
        var text = HlsPlaylistWriter.Media(A, media, NoInits, sealedStream: false, window: 6, minimumTargetDuration: 5);
        var lines = text.Split('\n');
        Assert.Contains("#EXT-X-MEDIA-SEQUENCE:104", lines);
        Assert.Contains("#EXT-X-TARGETDURATION:5", lines);
        Assert.Equal(6, lines.Count(l => l.StartsWith("#EXTINF:3.966667,", StringComparison.Ordinal)));
        Assert.Equal($"/segment/{A}/24.ts", lines.First(l => l.StartsWith('/')));
        Assert.Equal($"/segment/{A}/29.ts", lines.Last(l => l.StartsWith('/')));
        Assert.DoesNotContain("#EXT-X-ENDLIST", lines);
        Assert.DoesNotContain("#EXT-X-PLAYLIST-TYPE:VOD", lines);
    }

    [Fact]
    public void Discontinuities_are_tagged_and_the_sequence_counts_those_before_the_window()
    {
        // Segments 3 and 5 follow discontinuities; the window starts at the one before segment 3's.
        Bundle[] media =
        [
            TestBundles.Media(0, 0), TestBundles.Media(1, 1), TestBundles.Media(2, 2),
            TestBundles.Media(3, 3, disc: true, dseq: 1), TestBundles.Media(4, 4, dseq: 1), TestBundles.Media(5, 5, disc: true, dseq: 2),
            TestBundles.Media(6, 6, dseq: 2),
        ];
        var window = HlsPlaylistWriter.Media(A, media, NoInits, sealedStream: false, window: 4);
        Assert.Contains("#EXT-X-DISCONTINUITY-SEQUENCE:0\n", window, StringComparison.Ordinal);
        Assert.Contains($"#EXT-X-DISCONTINUITY\n#EXTINF:4.000,\n/segment/{A}/3.ts\n", window, StringComparison.Ordinal);
        Assert.Contains($"#EXT-X-DISCONTINUITY\n#EXTINF:4.000,\n/segment/{A}/5.ts\n", window, StringComparison.Ordinal);

        var later = HlsPlaylistWriter.Media(A, media, NoInits, sealedStream: false, window: 3);
        Assert.Contains("#EXT-X-MEDIA-SEQUENCE:4\n#EXT-X-DISCONTINUITY-SEQUENCE:1\n", later, StringComparison.Ordinal);
        // A window opening on a discontinuity: the tag is written, so the sequence counts one fewer.
        var onDisc = HlsPlaylistWriter.Media(A, media[5..], NoInits, sealedStream: false, window: 6);
        Assert.Contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n#EXT-X-DISCONTINUITY\n", onDisc, StringComparison.Ordinal);
    }

    [Fact]
    public void Fmp4_segments_get_version_6_and_a_map_each_time_their_init_section_changes()
    {
        var inits = new Dictionary<long, Bundle> { [0] = TestBundles.Init(0), [3] = TestBundles.Init(3) };
        Bundle[] media =
        [
            TestBundles.Media(1, 0, "video/mp4", init: 0), TestBundles.Media(2, 1, "video/mp4", init: 0),
            TestBundles.Media(4, 2, "video/mp4", init: 3, disc: true, dseq: 1),
        ];
        var text = HlsPlaylistWriter.Media(A, media, s => inits.GetValueOrDefault(s), sealedStream: true, window: 6);
        Assert.Contains("#EXT-X-VERSION:6\n", text, StringComparison.Ordinal);
        Assert.Contains($"#EXT-X-MAP:URI=\"/segment/{A}/0.mp4\"\n#EXTINF:4.000,\n/segment/{A}/1.m4s\n#EXTINF:4.000,\n/segment/{A}/2.m4s\n", text, StringComparison.Ordinal);
        Assert.Contains($"#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"/segment/{A}/3.mp4\"\n#EXTINF:4.000,\n/segment/{A}/4.m4s\n", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split('\n').Count(l => l.StartsWith("#EXT-X-MAP", StringComparison.Ordinal)));
        Assert.Throws<InvalidOperationException>(() => HlsPlaylistWriter.Media(A, media, NoInits, sealedStream: true, window: 6));
    }

    [Fact]
    public void Several_renditions_make_a_master_playlist_in_the_heads_order()
    {
        Rendition[] renditions = [new("720p", 2_500_000, "avc1.64001f,mp4a.40.2", 1280, 720), new("audio", 128_000, "mp4a.40.2")];
        Assert.Equal(
            "#EXTM3U\n" +
            $"#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720,CODECS=\"avc1.64001f,mp4a.40.2\"\n/play/{A}/720p.m3u8\n" +
            $"#EXT-X-STREAM-INF:BANDWIDTH=128000,CODECS=\"mp4a.40.2\"\n/play/{A}/audio.m3u8\n",
            HlsPlaylistWriter.Master(A, renditions));
    }

    [Fact]
    public void The_target_duration_is_the_longest_segment_rounded_up_and_never_below_one()
    {
        Assert.Equal(5, HlsPlaylistWriter.TargetDuration([TestBundles.Media(0, 0, seconds: 4.001), TestBundles.Media(1, 1, seconds: 2)]));
        Assert.Equal(4, HlsPlaylistWriter.TargetDuration([TestBundles.Media(0, 0, seconds: 4)]));
        Assert.Equal(1, HlsPlaylistWriter.TargetDuration([]));
    }

    [Fact]
    public void Segment_extensions_and_content_types_follow_the_signed_media_type()
    {
        Assert.Equal("ts", MediaFormats.ExtensionOf(TestBundles.Media(0, 0)));
        Assert.Equal("m4s", MediaFormats.ExtensionOf(TestBundles.Media(0, 0, "video/mp4")));
        Assert.Equal("mp4", MediaFormats.ExtensionOf(TestBundles.Init(0)));
        Assert.Equal("aac", MediaFormats.ExtensionOf(TestBundles.Media(0, 0, "audio/aac")));
        Assert.Equal("bin", MediaFormats.ExtensionOf(TestBundles.Media(0, 0, "video/x-made-up")));
        Assert.Equal("audio/aac", MediaFormats.ContentTypeOf(TestBundles.Media(0, 0, "audio/aac")));
        Assert.Equal("application/octet-stream", MediaFormats.ContentTypeOf(TestBundles.Media(0, 0, "video/x-made-up")));
    }
}
