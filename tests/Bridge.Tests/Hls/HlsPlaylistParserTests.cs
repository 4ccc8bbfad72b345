using System.Text;
using Overlay.Bridge.Hls;
using Overlay.Manifest.Errors;

namespace Overlay.Bridge.Tests.Hls;

public sealed class HlsPlaylistParserTests
{
    private static readonly Uri Base = new("file:///media/show/video/index.m3u8");

    private static HlsMediaPlaylist Media(string text) => Assert.IsType<HlsMediaPlaylist>(HlsPlaylistParser.Parse(text, Base));

    private static HlsMasterPlaylist Master(string text) => Assert.IsType<HlsMasterPlaylist>(HlsPlaylistParser.Parse(text, Base));

    [Fact]
    public void Vod_media_playlist_with_and_without_titles()
    {
        var playlist = Media("""
            #EXTM3U
            #EXT-X-VERSION:3
            #EXT-X-TARGETDURATION:6
            #EXT-X-MEDIA-SEQUENCE:7
            #EXT-X-PLAYLIST-TYPE:VOD
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXTINF:5.005,
            seg7.ts
            #EXTINF:6.000000,Opening titles
            seg8.ts
            #EXTINF:4
            sub/seg9.ts
            #EXT-X-ENDLIST
            """);
        Assert.Equal(3, playlist.Version);
        Assert.Equal(6, playlist.TargetDuration);
        Assert.Equal(7, playlist.MediaSequence);
        Assert.Equal(HlsPlaylistType.Vod, playlist.PlaylistType);
        Assert.True(playlist.EndList);
        Assert.True(playlist.IndependentSegments);
        Assert.Equal(3, playlist.Segments.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(5005), playlist.Segments[0].Duration);
        Assert.Equal("", playlist.Segments[0].Title);
        Assert.Equal("Opening titles", playlist.Segments[1].Title);
        Assert.Equal(TimeSpan.FromSeconds(4), playlist.Segments[2].Duration);
        Assert.Equal([7L, 8L, 9L], playlist.Segments.Select(s => s.MediaSequence));
        Assert.Equal("file:///media/show/video/seg7.ts", playlist.Segments[0].Uri.AbsoluteUri);
        Assert.Equal("file:///media/show/video/sub/seg9.ts", playlist.Segments[2].Uri.AbsoluteUri);
        Assert.Equal(TimeSpan.FromMilliseconds(15005), playlist.TotalDuration);
    }

    [Fact]
    public void Durations_keep_microseconds()
    {
        var playlist = Media("#EXTM3U\n#EXTINF:3.9999996,\na.ts\n#EXTINF:0.000001,\nb.ts\n");
        Assert.Equal(TimeSpan.FromTicks(40_000_000), playlist.Segments[0].Duration);
        Assert.Equal(TimeSpan.FromTicks(10), playlist.Segments[1].Duration);
    }

    [Fact]
    public void Crlf_bom_blank_lines_comments_and_unknown_tags_are_tolerated()
    {
        var text = "\uFEFF#EXTM3U\r\n\r\n# a comment\r\n#EXT-X-FUTURE-TAG:X=1\r\n#EXT-X-TARGETDURATION:4  \r\n#EXTINF:4.0,\r\n#EXT-X-GAP-LIKE\r\n  \r\na.ts\r\n#EXT-X-ENDLIST\r\n";
        var playlist = Assert.IsType<HlsMediaPlaylist>(HlsPlaylistParser.Parse(Encoding.UTF8.GetBytes(text), Base));
        Assert.Single(playlist.Segments);
        Assert.Equal("file:///media/show/video/a.ts", playlist.Segments[0].Uri.AbsoluteUri);
        Assert.Equal(4, playlist.TargetDuration);
    }

    [Fact]
    public void Discontinuities_number_the_following_segments()
    {
        var playlist = Media("""
            #EXTM3U
            #EXT-X-TARGETDURATION:4
            #EXT-X-MEDIA-SEQUENCE:100
            #EXT-X-DISCONTINUITY-SEQUENCE:3
            #EXTINF:4,
            a.ts
            #EXT-X-DISCONTINUITY
            #EXTINF:4,
            b.ts
            #EXTINF:4,
            c.ts
            #EXTINF:4,
            #EXT-X-DISCONTINUITY
            d.ts
            """);
        Assert.Equal([false, true, false, true], playlist.Segments.Select(s => s.Discontinuity));
        Assert.Equal([3L, 4L, 4L, 5L], playlist.Segments.Select(s => s.DiscontinuitySequence));
        Assert.Equal([100L, 101L, 102L, 103L], playlist.Segments.Select(s => s.MediaSequence));
        Assert.False(playlist.EndList);
        Assert.Equal(HlsPlaylistType.None, playlist.PlaylistType);
    }

    [Fact]
    public void Byte_ranges_with_implicit_offsets_and_a_ranged_map()
    {
        var playlist = Media("""
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:4
            #EXT-X-MAP:URI="main.mp4",BYTERANGE="720@0"
            #EXTINF:4,
            #EXT-X-BYTERANGE:1000@720
            main.mp4
            #EXTINF:4,
            #EXT-X-BYTERANGE:2000
            main.mp4
            #EXT-X-BYTERANGE:500
            #EXTINF:2.5,
            main.mp4
            #EXT-X-ENDLIST
            """);
        Assert.Equal(new HlsByteRange(720, 1000), playlist.Segments[0].ByteRange);
        Assert.Equal(new HlsByteRange(1720, 2000), playlist.Segments[1].ByteRange);
        Assert.Equal(new HlsByteRange(3720, 500), playlist.Segments[2].ByteRange);
        var map = Assert.IsType<HlsMap>(playlist.Segments[2].Map);
        Assert.Equal("file:///media/show/video/main.mp4", map.Uri.AbsoluteUri);
        Assert.Equal(new HlsByteRange(0, 720), map.ByteRange);
    }

    [Fact]
    public void An_implicit_offset_after_another_resource_is_malformed()
    {
        var error = Assert.Throws<MalformedDataException>(() => Media("#EXTM3U\n#EXTINF:4,\n#EXT-X-BYTERANGE:10@0\na.mp4\n#EXTINF:4,\n#EXT-X-BYTERANGE:10\nb.mp4\n"));
        Assert.Contains("without an offset", error.Message);
    }

    [Fact]
    public void Map_changes_after_a_discontinuity_and_program_date_time_is_kept()
    {
        var playlist = Media("""
            #EXTM3U
            #EXT-X-MAP:URI="init-a.mp4"
            #EXT-X-PROGRAM-DATE-TIME:2026-11-21T10:00:00.000Z
            #EXTINF:4,
            a1.m4s
            #EXTINF:4,
            a2.m4s
            #EXT-X-DISCONTINUITY
            #EXT-X-MAP:URI="../other/init-b.mp4"
            #EXT-X-PROGRAM-DATE-TIME:2026-11-21T11:00:00+01:00
            #EXTINF:4,
            b1.m4s
            """);
        Assert.Equal("file:///media/show/video/init-a.mp4", playlist.Segments[1].Map!.Uri.AbsoluteUri);
        Assert.Null(playlist.Segments[1].Map!.ByteRange);
        Assert.Equal("file:///media/show/other/init-b.mp4", playlist.Segments[2].Map!.Uri.AbsoluteUri);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), playlist.Segments[0].ProgramDateTime);
        Assert.Null(playlist.Segments[1].ProgramDateTime);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), playlist.Segments[2].ProgramDateTime);
    }

    [Fact]
    public void Master_playlist_with_quoted_commas_media_and_absolute_uris()
    {
        var playlist = Master("""
            #EXTM3U
            #EXT-X-VERSION:6
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English, stereo",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,URI="audio/en.m3u8"
            #EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID="cc",NAME="CC1",INSTREAM-ID="CC1"
            #EXT-X-STREAM-INF:BANDWIDTH=2149280,AVERAGE-BANDWIDTH=2000000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=29.970,AUDIO="aud"
            720p/index.m3u8
            #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=86000,URI="720p/iframes.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=246440,CODECS="avc1.42c00d,mp4a.40.2",RESOLUTION=320x184
            https://cdn.example.org/low/index.m3u8
            """);
        Assert.Equal(2, playlist.Variants.Count);
        var high = playlist.Variants[0];
        Assert.Equal(2149280, high.Bandwidth);
        Assert.Equal(2000000, high.AverageBandwidth);
        Assert.Equal("avc1.64001f,mp4a.40.2", high.Codecs);
        Assert.Equal((1280, 720), (high.Width, high.Height));
        Assert.Equal(29.970m, high.FrameRate);
        Assert.Equal("aud", high.Audio);
        Assert.Equal("file:///media/show/video/720p/index.m3u8", high.Uri.AbsoluteUri);
        Assert.Equal("https://cdn.example.org/low/index.m3u8", playlist.Variants[1].Uri.AbsoluteUri);
        Assert.Equal(2, playlist.Media.Count);
        Assert.Equal("English, stereo", playlist.Media[0].Name);
        Assert.True(playlist.Media[0].Default);
        Assert.Equal("file:///media/show/video/audio/en.m3u8", playlist.Media[0].Uri!.AbsoluteUri);
        Assert.Null(playlist.Media[1].Uri);
        Assert.True(playlist.IndependentSegments);
    }

    [Fact]
    public void Key_method_none_is_accepted_and_encryption_is_refused_clearly()
    {
        Assert.Single(Media("#EXTM3U\n#EXT-X-KEY:METHOD=NONE\n#EXTINF:4,\na.ts\n").Segments);
        var error = Assert.Throws<HlsUnsupportedException>(() => Media("#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"key.bin\",IV=0x1234\n#EXTINF:4,\na.ts\n"));
        Assert.Contains("encrypted streams are not supported", error.Message);
        Assert.Contains("AES-128", error.Message);
        Assert.Throws<HlsUnsupportedException>(() => Master("#EXTM3U\n#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI=\"k\"\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n"));
    }

    [Theory]
    [InlineData("", "does not start with #EXTM3U")]
    [InlineData("#EXTINF:4,\na.ts\n", "does not start with #EXTM3U")]
    [InlineData("#EXTM3U\na.ts\n", "has no EXTINF")]
    [InlineData("#EXTM3U\n#EXTINF:4,\n", "has no URI line")]
    [InlineData("#EXTM3U\n#EXTINF:-1,\na.ts\n", "EXTINF duration")]
    [InlineData("#EXTM3U\n#EXTINF:abc,\na.ts\n", "EXTINF duration")]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\na.m3u8\n", "without BANDWIDTH")]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n", "has no URI line")]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"avc1\na.m3u8\n", "unterminated")]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=big\na.m3u8\n", "RESOLUTION")]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n#EXTINF:4,\nb.ts\n", "mixes master tags")]
    [InlineData("#EXTM3U\n#EXTINF:4,\na.ts\n#EXT-X-MEDIA-SEQUENCE:3\n", "after the first segment")]
    [InlineData("#EXTM3U\n#EXT-X-PLAYLIST-TYPE:LIVE\n", "unknown type")]
    [InlineData("#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:99999999999999999999\n", "at most 16 digits")]
    [InlineData("#EXTM3U\n#EXT-X-PROGRAM-DATE-TIME:yesterday\n#EXTINF:4,\na.ts\n", "ISO 8601")]
    [InlineData("#EXTM3U\n#EXTINF:4,\n#EXT-X-BYTERANGE:0@0\na.ts\n", "empty byte range")]
    [InlineData("#EXTM3U\n#EXT-X-MAP:BYTERANGE=\"1@0\"\n", "URI is missing")]
    public void Malformed_playlists_are_refused_with_a_reason(string text, string reason)
    {
        var error = Assert.ThrowsAny<MalformedDataException>(() => HlsPlaylistParser.Parse(text, Base));
        Assert.Contains(reason, error.Message);
        Assert.Equal("hls", error.Format);
    }

    [Fact]
    public void Limits_are_checked_before_keeping_data()
    {
        var longLine = "#EXTM3U\n#EXTINF:4," + new string('t', HlsLimits.MaxLineLength) + "\na.ts\n";
        Assert.Equal("line length", Assert.Throws<LimitExceededException>(() => HlsPlaylistParser.Parse(longLine, Base)).LimitName);
        var tooBig = new byte[HlsLimits.MaxPlaylistBytes + 1];
        Assert.Equal("playlist size", Assert.Throws<LimitExceededException>(() => HlsPlaylistParser.Parse(tooBig, Base)).LimitName);
        var many = new StringBuilder("#EXTM3U\n");
        for (var i = 0; i <= HlsLimits.MaxSegments; i++)
        {
            many.Append("#EXTINF:1,\ns.ts\n");
        }
        Assert.Equal("segment count", Assert.Throws<LimitExceededException>(() => HlsPlaylistParser.Parse(many.ToString(), Base)).LimitName);
        Assert.Equal("EXTINF seconds", Assert.Throws<LimitExceededException>(() => Media("#EXTM3U\n#EXTINF:3600.5,\na.ts\n")).LimitName);
        Assert.Throws<MalformedDataException>(() => HlsPlaylistParser.Parse([(byte)'#', 0xff, 0xfe], Base));
    }
}
