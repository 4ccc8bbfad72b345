using Overlay.Bridge.Ffmpeg;

namespace Overlay.Bridge.Tests.Ffmpeg;

/// <summary>
/// Small inputs ffmpeg makes once per test class: 12 s of lavfi test pattern and a 440 Hz tone
/// at 160x120, as H.264/AAC and HEVC/AAC in MP4 (keyframe every 2 s), as H.264/AAC with x264's
/// default keyframe interval (250 frames: 10 s at 25 fps) and as MPEG-4 part 2/MP2 in AVI.
/// </summary>
public sealed class TestVideos : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();

    public string H264Mp4 => Path.Combine(_folder.Path, "h264.mp4");

    /// <summary>Keyframes at 0 and 10 s only: copying it would cut a 10 s segment.</summary>
    public string H264LongGopMp4 => Path.Combine(_folder.Path, "h264-gop250.mp4");

    public string Mpeg4Avi => Path.Combine(_folder.Path, "mpeg4.avi");

    public string HevcMp4 => Path.Combine(_folder.Path, "hevc.mp4");

    public FfmpegRunner Runner { get; } = new();

    public async Task InitializeAsync()
    {
        string[] sources = ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=12", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=12"];
        await Runner.FfmpegAsync(["-v", "error", .. sources, "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", H264Mp4]);
        await Runner.FfmpegAsync(["-v", "error", .. sources, "-c:v", "libx264", "-preset", "ultrafast", "-g", "250", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", H264LongGopMp4]);
        await Runner.FfmpegAsync(["-v", "error", .. sources, "-c:v", "mpeg4", "-g", "50", "-c:a", "mp2", "-shortest", Mpeg4Avi]);
        await Runner.FfmpegAsync(["-v", "error", .. sources, "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error:keyint=50", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", HevcMp4]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();

    /// <summary>Decodes every frame of <paramref name="path"/>; throws <see cref="FfmpegException"/> when ffmpeg cannot.</summary>
    public Task DecodeAsync(string path) => Runner.FfmpegAsync(["-v", "error", "-xerror", "-i", path, "-f", "null", "-"]);
}
