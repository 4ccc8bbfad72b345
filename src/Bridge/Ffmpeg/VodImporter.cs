// Spec: specs/stream-import.md §4 (video files through ffmpeg).
using Overlay.Bridge.Import;
using Overlay.Manifest.Blocks;

namespace Overlay.Bridge.Ffmpeg;

/// <summary>
/// Imports a video file: ffprobe decides copy or transcode (<see cref="VodEncodePlan"/>), ffmpeg
/// segments it into HLS (MPEG-TS, or fMP4 with an init section) in a folder, and
/// <see cref="HlsImporter"/> turns that folder into a sealed, signed stream.
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
            var plan = VodEncodePlan.For(probe, input, Path.GetFullPath(folder), _options.SegmentType, _options.SegmentSeconds);
            await _ffmpeg.FfmpegAsync(plan.Arguments, cancellationToken).ConfigureAwait(false);
            var stream = await new HlsImporter(_store, _options.Import).ImportAsync(Path.Combine(folder, "index.m3u8"), cancellationToken).ConfigureAwait(false);
            return new VodImportResult(probe, plan, stream);
        }
        finally
        {
            if (temporary)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
