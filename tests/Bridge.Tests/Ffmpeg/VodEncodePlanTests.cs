using System.Text;
using Overlay.Bridge.Ffmpeg;
using Overlay.Manifest.Errors;

namespace Overlay.Bridge.Tests.Ffmpeg;

public sealed class VodEncodePlanTests
{
    private static MediaProbe Probe(params MediaStreamInfo[] streams) => new("matroska,webm", TimeSpan.FromSeconds(10), streams);

    private static readonly MediaStreamInfo Hevc = new(0, "video", "hevc", 1920, 1080);
    private static readonly MediaStreamInfo Vp9 = new(0, "video", "vp9", 640, 360);
    private static readonly MediaStreamInfo Aac = new(1, "audio", "aac", 0, 0);
    private static readonly MediaStreamInfo Opus = new(1, "audio", "opus", 0, 0);

    [Fact]
    public void Hevc_and_aac_are_copied_and_hevc_is_tagged_hvc1_in_fmp4()
    {
        var plan = VodEncodePlan.For(Probe(Hevc, Aac), "in.mkv", "/out", HlsSegmentType.Fmp4, 6);
        Assert.True(plan.CopyVideo);
        Assert.True(plan.CopyAudio);
        var args = string.Join(' ', plan.Arguments);
        Assert.Contains("-map 0:0 -map 0:1 -c:v copy -tag:v hvc1 -c:a copy", args);
        Assert.Contains("-hls_time 6", args);
        Assert.Contains("-hls_segment_type fmp4", args);
        Assert.Contains("-hls_segment_filename /out/seg%05d.m4s -hls_fmp4_init_filename init.mp4 /out/index.m3u8", args);
        Assert.DoesNotContain("hvc1", string.Join(' ', VodEncodePlan.For(Probe(Hevc, Aac), "in.mkv", "/out", HlsSegmentType.MpegTs, 6).Arguments));
    }

    [Fact]
    public void A_live_plan_writes_an_event_playlist_reads_a_file_at_native_rate_and_transcodes_unprobed_stdin()
    {
        var file = string.Join(' ', VodEncodePlan.ForLive(Probe(Hevc, Aac), TimeSpan.FromSeconds(2), "cam.mkv", "/out", HlsSegmentType.MpegTs, 2, nativeRate: true).Arguments);
        Assert.Contains("-y -re -i cam.mkv -map 0:0 -map 0:1 -c:v copy -c:a copy", file);
        Assert.Contains("-hls_list_size 0 -hls_playlist_type event", file);

        var stdin = VodEncodePlan.ForLive(null, null, "pipe:0", "/out", HlsSegmentType.MpegTs, 2, nativeRate: false);
        var args = string.Join(' ', stdin.Arguments);
        Assert.DoesNotContain("-re", args);
        Assert.Contains("-i pipe:0 -map 0:v:0? -map 0:a:0? -c:v libx264", args);
        Assert.Contains("-c:a aac -b:a 128k", args);
        Assert.Contains("-hls_playlist_type event", args);
        Assert.False(stdin.CopyVideo);
        Assert.Contains("-hls_playlist_type vod", string.Join(' ', VodEncodePlan.For(Probe(Hevc, Aac), "in.mkv", "/out", HlsSegmentType.MpegTs, 2).Arguments));
    }

    [Fact]
    public void Live_video_is_copied_only_when_its_keyframes_keep_segments_within_6_s()
    {
        Assert.True(VodEncodePlan.CopyKeepsSegmentsShort(TimeSpan.FromSeconds(4), 2));
        Assert.True(VodEncodePlan.CopyKeepsSegmentsShort(TimeSpan.FromSeconds(2), 4));
        Assert.True(VodEncodePlan.CopyKeepsSegmentsShort(TimeSpan.FromSeconds(2.002), 4));
        Assert.False(VodEncodePlan.CopyKeepsSegmentsShort(TimeSpan.FromSeconds(3), 4));
        Assert.False(VodEncodePlan.CopyKeepsSegmentsShort(TimeSpan.FromSeconds(10), 2));
        Assert.False(VodEncodePlan.CopyKeepsSegmentsShort(null, 2));

        var sparse = VodEncodePlan.ForLive(Probe(Hevc, Aac), TimeSpan.FromSeconds(10), "cam.mkv", "/out", HlsSegmentType.MpegTs, 2, nativeRate: true);
        Assert.False(sparse.CopyVideo);
        Assert.True(sparse.TranscodedForKeyframes);
        Assert.True(sparse.CopyAudio);
        Assert.Contains("-c:v libx264 -preset veryfast -pix_fmt yuv420p -sc_threshold 0 -force_key_frames expr:gte(t,n_forced*2) -c:a copy", string.Join(' ', sparse.Arguments));
        var unknown = VodEncodePlan.ForLive(Probe(Hevc, Aac), null, "cam.mkv", "/out", HlsSegmentType.MpegTs, 2, nativeRate: true);
        Assert.False(unknown.CopyVideo);
        var vp9 = VodEncodePlan.ForLive(Probe(Vp9, Aac), TimeSpan.FromSeconds(2), "cam.webm", "/out", HlsSegmentType.MpegTs, 2, nativeRate: true);
        Assert.False(vp9.TranscodedForKeyframes);
    }

    [Fact]
    public void Keyframe_spacing_counts_gaps_and_the_tail_after_the_last_keyframe()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), KeyframeProbe.LongestInterval("0.000000,K_\n0.040000,__\n2.000000,K_\n3.960000,__\n4.000000,K__\n"u8));
        // The window ends inside a long GOP: the stretch since the last keyframe counts.
        Assert.Equal(TimeSpan.FromSeconds(9.96), KeyframeProbe.LongestInterval("0.000000,K_\n4.000000,__\n9.960000,__\n"u8));
        // Packets in decode order (B-frames) and lines without a time.
        Assert.Equal(TimeSpan.FromSeconds(3), KeyframeProbe.LongestInterval("N/A,K_\n0.080000,__\n0.000000,K_\n3.000000,K_\n2.960000,__\n"u8));
        Assert.Null(KeyframeProbe.LongestInterval("0.000000,__\n1.000000,__\n"u8));
        Assert.Null(KeyframeProbe.LongestInterval(""u8));
    }

    [Fact]
    public void Vp9_and_opus_are_transcoded_with_keyframes_on_segment_boundaries()
    {
        var plan = VodEncodePlan.For(Probe(Vp9, Opus), "in.webm", "/out", HlsSegmentType.MpegTs, 2);
        Assert.False(plan.CopyVideo);
        Assert.False(plan.CopyAudio);
        var args = string.Join(' ', plan.Arguments);
        Assert.Contains("-c:v libx264", args);
        Assert.Contains("-force_key_frames expr:gte(t,n_forced*2)", args);
        Assert.Contains("-c:a aac -b:a 128k", args);
        Assert.Contains("-hls_segment_type mpegts -hls_segment_filename /out/seg%05d.ts /out/index.m3u8", args);
    }

    [Fact]
    public void Audio_only_input_maps_only_audio_and_no_stream_at_all_is_refused()
    {
        var plan = VodEncodePlan.For(Probe(Aac with { Index = 0 }), "in.m4a", "/out", HlsSegmentType.MpegTs, 4);
        Assert.False(plan.HasVideo);
        Assert.True(plan.HasAudio);
        Assert.DoesNotContain("-c:v", plan.Arguments);
        Assert.Throws<FfmpegException>(() => VodEncodePlan.For(Probe(new MediaStreamInfo(0, "data", "bin_data", 0, 0)), "in.bin", "/out", HlsSegmentType.MpegTs, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => VodEncodePlan.For(Probe(Aac), "in", "/out", HlsSegmentType.MpegTs, 7));
    }

    [Fact]
    public void Probe_output_is_parsed_and_garbage_is_malformed()
    {
        var probe = MediaProbe.Parse(Encoding.UTF8.GetBytes("""
            {"streams":[{"index":0,"codec_name":"h264","codec_type":"video","width":160,"height":120},
                        {"index":1,"codec_name":"aac","codec_type":"audio"}],
             "format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"12.012000"}}
            """));
        Assert.Equal("h264", probe.Video!.Codec);
        Assert.Equal((160, 120), (probe.Video.Width, probe.Video.Height));
        Assert.Equal(1, probe.Audio!.Index);
        Assert.Equal(TimeSpan.FromSeconds(12.012), probe.Duration);
        Assert.Empty(MediaProbe.Parse("{}"u8).Streams);
        Assert.Throws<MalformedDataException>(() => MediaProbe.Parse("{\"streams\":[{"u8));
        Assert.Throws<MalformedDataException>(() => MediaProbe.Parse(Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100))));
    }
}
