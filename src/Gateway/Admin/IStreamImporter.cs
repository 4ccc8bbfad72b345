using Overlay.Manifest.Streams;

namespace Overlay.Gateway.Admin;

/// <summary>
/// Turns a local input (a video file, an HLS folder or playlist) into a signed, sealed stream in
/// the node's blocks. The daemon supplies it (the importers live in the Bridge layer, which the
/// gateway does not reference); without one, <c>stream/publish</c> is refused.
/// </summary>
public interface IStreamImporter
{
    Task<SignedTreeHead> ImportAsync(StreamImportRequest request, IProgress<StreamImportProgress>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// A live source for <paramref name="request"/>: a playlist still being written (a
    /// <c>.m3u8</c> or a folder), or anything ffmpeg reads (a file, played at its native rate;
    /// a URL; <c>-</c>, read from <paramref name="standardInput"/>). Nothing runs until it is read.
    /// </summary>
    ILiveStreamSource OpenLive(StreamImportRequest request, Stream? standardInput);
}
