using System.Globalization;

namespace Overlay.Bridge.Ffmpeg;

/// <summary>
/// How ffmpeg turns one input into HLS: which streams are copied and which transcoded, and the
/// exact argument list. Copying keeps the publisher's quality and costs no CPU, so it is used
/// whenever an HLS player can play the codec (H.264 or HEVC video, AAC audio) and the video's
/// keyframes are close enough for segments of at most <see cref="MaxSegment"/>; anything else
/// is transcoded to H.264 (libx264) and AAC.
/// </summary>
public sealed record VodEncodePlan(bool CopyVideo, bool CopyAudio, bool HasVideo, bool HasAudio, IReadOnlyList<string> Arguments)
{
    /// <summary>The longest segment a stream may have (BRIEF §4: 2-6 s segments).</summary>
    public static readonly TimeSpan MaxSegment = TimeSpan.FromSeconds(6);

    /// <summary>Allowance over <see cref="MaxSegment"/> for frame rounding (6.006 s at 29.97 fps).</summary>
    public static readonly TimeSpan FrameRounding = TimeSpan.FromMilliseconds(100);

    private static readonly string[] PlayableVideo = ["h264", "hevc"];

    /// <summary>
    /// True when the video, playable but with keyframes too far apart to cut segments of at most
    /// <see cref="MaxSegment"/>, is transcoded rather than copied.
    /// </summary>
    public bool TranscodedForKeyframes { get; init; }

    /// <summary>
    /// The plan for <paramref name="probe"/>, writing <c>index.m3u8</c> and its segments into
    /// <paramref name="folder"/>. <paramref name="transcodeVideo"/> transcodes playable video too:
    /// the importer's second pass when copying made a segment too long.
    /// </summary>
    public static VodEncodePlan For(MediaProbe probe, string input, string folder, HlsSegmentType type, int segmentSeconds, bool transcodeVideo = false)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return Build(probe, input, folder, type, segmentSeconds, live: false, nativeRate: false, transcodeVideo);
    }

    /// <summary>
    /// Whether copying video whose longest keyframe interval is <paramref name="keyframeInterval"/>
    /// (null: unknown) keeps every segment within <see cref="MaxSegment"/>. The HLS muxer cuts
    /// at the first keyframe at or after each target, so a segment is shorter than the target
    /// plus one keyframe interval; whatever the muxer's exact rule, that bound holds.
    /// </summary>
    public static bool CopyKeepsSegmentsShort(TimeSpan? keyframeInterval, int segmentSeconds) =>
        keyframeInterval is { } interval && interval + TimeSpan.FromSeconds(segmentSeconds) <= MaxSegment + FrameRounding;

    /// <summary>
    /// The plan for a live source (specs/stream-import.md §5): an EVENT playlist that ffmpeg
    /// rewrites after every segment. <paramref name="probe"/> is null when the input cannot be
    /// probed without consuming it (stdin): then the first video and audio streams, if any, are
    /// transcoded. <paramref name="nativeRate"/> reads a file at its own pace (<c>-re</c>), so a
    /// file plays like a camera. A live segment cannot be redone, so playable video is copied only
    /// when <paramref name="keyframeInterval"/> (<see cref="KeyframeProbe"/>; null: unknown)
    /// passes <see cref="CopyKeepsSegmentsShort"/>.
    /// </summary>
    public static VodEncodePlan ForLive(MediaProbe? probe, TimeSpan? keyframeInterval, string input, string folder, HlsSegmentType type, int segmentSeconds, bool nativeRate) =>
        Build(probe, input, folder, type, segmentSeconds, live: true, nativeRate, transcodeVideo: !CopyKeepsSegmentsShort(keyframeInterval, segmentSeconds));

    private static VodEncodePlan Build(MediaProbe? probe, string input, string folder, HlsSegmentType type, int segmentSeconds, bool live, bool nativeRate, bool transcodeVideo)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentSeconds, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(segmentSeconds, 6);
        var video = probe?.Video;
        var audio = probe?.Audio;
        if (probe is not null && video is null && audio is null)
        {
            throw new FfmpegException("ffprobe", 0, $"{input} has neither a video nor an audio stream");
        }
        var playable = video is not null && PlayableVideo.Contains(video.Codec);
        var copyVideo = playable && !transcodeVideo;
        var copyAudio = audio is not null && audio.Codec == "aac";
        var seconds = segmentSeconds.ToString(CultureInfo.InvariantCulture);
        var args = new List<string> { "-v", "error", "-y" };
        if (nativeRate)
        {
            args.Add("-re");
        }
        args.AddRange(["-i", input]);
        if (probe is null)
        {
            // Unprobed: whatever the input has; "?" lets a missing stream pass.
            args.AddRange(["-map", "0:v:0?", "-map", "0:a:0?"]);
        }
        if (video is not null)
        {
            args.AddRange(["-map", $"0:{video.Index}"]);
        }
        if (audio is not null)
        {
            args.AddRange(["-map", $"0:{audio.Index}"]);
        }
        if (video is not null || probe is null)
        {
            args.AddRange(copyVideo
                // A copied stream is cut at its own keyframes, which the caller checked are close enough.
                ? ["-c:v", "copy"]
                // Keyframes exactly on segment boundaries, so every segment is segmentSeconds long.
                : ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-sc_threshold", "0", "-force_key_frames", $"expr:gte(t,n_forced*{seconds})"]);
            if (copyVideo && video!.Codec == "hevc" && type == HlsSegmentType.Fmp4)
            {
                // Apple players play HEVC in fMP4 only under the hvc1 sample entry.
                args.AddRange(["-tag:v", "hvc1"]);
            }
        }
        if (audio is not null || probe is null)
        {
            args.AddRange(copyAudio ? ["-c:a", "copy"] : ["-c:a", "aac", "-b:a", "128k"]);
        }
        var extension = type == HlsSegmentType.Fmp4 ? "m4s" : "ts";
        args.AddRange([
            "-f", "hls",
            "-hls_time", seconds,
            "-hls_list_size", "0",
            // EVENT: rewritten after each segment, ENDLIST at the end; VOD: the same list, typed final.
            "-hls_playlist_type", live ? "event" : "vod",
            "-hls_segment_type", type == HlsSegmentType.Fmp4 ? "fmp4" : "mpegts",
            "-hls_segment_filename", Path.Combine(folder, $"seg%05d.{extension}"),
        ]);
        if (type == HlsSegmentType.Fmp4)
        {
            args.AddRange(["-hls_fmp4_init_filename", "init.mp4"]);
        }
        args.Add(Path.Combine(folder, "index.m3u8"));
        return new VodEncodePlan(copyVideo, copyAudio, video is not null || probe is null, audio is not null || probe is null, args)
        {
            TranscodedForKeyframes = playable && !copyVideo,
        };
    }
}
