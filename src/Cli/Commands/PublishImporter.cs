using Overlay.Bridge.Ffmpeg;
using Overlay.Bridge.Import;
using Overlay.Gateway.Admin;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Streams;

namespace Overlay.Cli.Commands;

/// <summary>
/// The daemon's <see cref="IStreamImporter"/>: an HLS folder or <c>.m3u8</c> playlist goes
/// through <see cref="HlsImporter"/>, anything else is a video file for <see cref="VodImporter"/>
/// (ffmpeg and ffprobe from PATH); live inputs go through <see cref="LiveSource"/>. Blocks land in <paramref name="store"/>, the node's local blocks.
/// </summary>
internal sealed class PublishImporter(IBlockStore store) : IStreamImporter
{
    public async Task<SignedTreeHead> ImportAsync(StreamImportRequest request, IProgress<StreamImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new HlsImportOptions
        {
            Key = request.Key,
            Title = request.Title,
            Class = request.Priority,
            Progress = progress is null ? null : new Forward(progress),
        };
        if (Directory.Exists(request.Input) || request.Input.EndsWith(".m3u8", StringComparison.OrdinalIgnoreCase))
        {
            return (await new HlsImporter(store, options).ImportAsync(request.Input, cancellationToken).ConfigureAwait(false)).Head;
        }
        var vod = await new VodImporter(store, new FfmpegRunner(), new VodImportOptions { Import = options }).ImportAsync(request.Input, cancellationToken).ConfigureAwait(false);
        return vod.Stream.Head;
    }

    public ILiveStreamSource OpenLive(StreamImportRequest request, Stream? standardInput)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new LiveSource(store, request, standardInput);
    }

    /// <summary>Passes each report on at once, on the importer's thread (no synchronization context involved).</summary>
    private sealed class Forward(IProgress<StreamImportProgress> target) : IProgress<HlsImportProgress>
    {
        public void Report(HlsImportProgress value) => target.Report(new StreamImportProgress(value.Bundles, value.Bytes));
    }
}
