// Spec: specs/stream-import.md §4 (video files through ffmpeg).
using Overlay.Bridge.Hls;
using Overlay.Bridge.Import;
using Overlay.Manifest.Blocks;

namespace Overlay.Bridge.Ffmpeg;

/// <summary>
/// Imports a video file: ffprobe decides copy or transcode (<see cref="VodEncodePlan"/>), ffmpeg
/// segments it into HLS (MPEG-TS, or fMP4 with an init section) in a folder, and
/// <see cref="HlsImporter"/> turns that folder into a sealed, signed stream. Copied video is cut
/// at its own keyframes: when that made any segment longer than <see cref="VodEncodePlan.MaxSegment"/>,
/// the copy is discarded and the video transcoded with a keyframe every segment length.
/// </summary>
public sealed class VodImporter
{
    private readonly IBlockStore _store;
    private readonly FfmpegRunner _ffmpeg;
    private readonly VodImportOptions _options;

    public VodImporter(IBlockStore store, FfmpegRunner ffmpeg, VodImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ffmpeg);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Import);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SegmentSeconds, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SegmentSeconds, 6);
        _store = store;
        _ffmpeg = ffmpeg;
        _options = options;
    }

    public async Task<VodImportResult> ImportAsync(string input, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        var probe = await MediaProbe.RunAsync(_ffmpeg, input, cancellationToken).ConfigureAwait(false);
        var temporary = _options.OutputFolder is null;
        var folder = _options.OutputFolder ?? Directory.CreateTempSubdirectory("overlay-vod-").FullName;
        try
        {
            Directory.CreateDirectory(folder);
            folder = Path.GetFullPath(folder);
            var playlist = Path.Combine(folder, "index.m3u8");
            var plan = VodEncodePlan.For(probe, input, folder, _options.SegmentType, _options.SegmentSeconds);
            await _ffmpeg.FfmpegAsync(plan.Arguments, cancellationToken).ConfigureAwait(false);
            TimeSpan? copiedLongest = null;
            if (plan.CopyVideo)
            {
                // The whole file's cuts, exactly: cheaper and surer than predicting them from a sample.
                var copied = await ReadPlaylistAsync(playlist, cancellationToken).ConfigureAwait(false);
                var longest = copied.Segments.Max(s => s.Duration);
                if (longest > VodEncodePlan.MaxSegment + VodEncodePlan.FrameRounding)
                {
                    copiedLongest = longest;
                    DeleteOutput(copied, playlist);
                    plan = VodEncodePlan.For(probe, input, folder, _options.SegmentType, _options.SegmentSeconds, transcodeVideo: true);
                    await _ffmpeg.FfmpegAsync(plan.Arguments, cancellationToken).ConfigureAwait(false);
                }
            }
            var stream = await new HlsImporter(_store, _options.Import).ImportAsync(playlist, cancellationToken).ConfigureAwait(false);
            return new VodImportResult(probe, plan, stream) { CopiedLongestSegment = copiedLongest };
        }
        finally
        {
            if (temporary)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task<HlsMediaPlaylist> ReadPlaylistAsync(string path, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return HlsPlaylistParser.Parse(text, new Uri(path)) as HlsMediaPlaylist is { Segments.Count: > 0 } media
            ? media
            : throw new FfmpegException("ffmpeg", 0, $"{path} is not a media playlist with segments");
    }

    /// <summary>Removes what the discarded pass wrote, so the folder holds only the second pass.</summary>
    private static void DeleteOutput(HlsMediaPlaylist playlist, string path)
    {
        foreach (var uri in playlist.Segments.Select(s => s.Uri).Concat(playlist.Segments.Where(s => s.Map is not null).Select(s => s.Map!.Uri)).Distinct())
        {
            if (uri.IsFile)
            {
                File.Delete(uri.LocalPath);
            }
        }
        File.Delete(path);
    }
}
