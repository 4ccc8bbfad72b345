// Input: ffprobe -show_entries packet=pts_time,flags -of csv=p=0 (https://ffmpeg.org/ffprobe.html)
using System.Globalization;
using System.Text;

namespace Overlay.Bridge.Ffmpeg;

/// <summary>
/// How far apart a video stream's keyframes are, read from packet flags (demuxing only, no
/// decoding) over a bounded window at the start of the input. A copied stream can only be cut at
/// its keyframes, so this tells whether copying can keep segments short (specs/stream-import.md §4-§5).
/// </summary>
public static class KeyframeProbe
{
    /// <summary>Packets looked at, at most: 10 s at 1000 fps; beyond it the window is cut short.</summary>
    public const int MaxPackets = 10_000;

    /// <summary>
    /// The longest keyframe interval in the first <paramref name="window"/> of <paramref name="video"/>
    /// (a stream index of <paramref name="input"/>), or null when the window holds no keyframe.
    /// A live URL is read in real time, so the window is also how long this takes there.
    /// </summary>
    public static async Task<TimeSpan?> LongestIntervalAsync(FfmpegRunner runner, string input, MediaStreamInfo video, TimeSpan window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentException.ThrowIfNullOrEmpty(input);
        ArgumentNullException.ThrowIfNull(video);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var seconds = window.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var result = await runner.FfprobeAsync([
            "-v", "error", "-select_streams", video.Index.ToString(CultureInfo.InvariantCulture),
            "-read_intervals", $"%+{seconds}", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", "-i", input,
        ], cancellationToken).ConfigureAwait(false);
        return LongestInterval(result.StandardOutput);
    }

    /// <summary>
    /// The longest gap between consecutive keyframes, counting the stretch from the last keyframe
    /// to the last packet (the window may end inside a long GOP, and the input's last segment runs
    /// that long too); null without any keyframe. Lines without a time are skipped.
    /// </summary>
    public static TimeSpan? LongestInterval(ReadOnlySpan<byte> csv)
    {
        var keyframes = new List<double>();
        var last = double.NegativeInfinity;
        var packets = 0;
        foreach (var line in Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (++packets > MaxPackets)
            {
                break;
            }
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma <= 0 || !double.TryParse(line.AsSpan(0, comma), NumberStyles.Float, CultureInfo.InvariantCulture, out var time) || !double.IsFinite(time))
            {
                continue;
            }
            last = Math.Max(last, time);
            if (line.AsSpan(comma + 1).StartsWith("K"))
            {
                keyframes.Add(time);
            }
        }
        if (keyframes.Count == 0)
        {
            return null;
        }
        keyframes.Sort();
        var longest = last - keyframes[^1];
        for (var i = 1; i < keyframes.Count; i++)
        {
            longest = Math.Max(longest, keyframes[i] - keyframes[i - 1]);
        }
        return TimeSpan.FromSeconds(longest);
    }
}
