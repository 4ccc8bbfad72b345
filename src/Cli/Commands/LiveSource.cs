using System.Runtime.CompilerServices;
using Overlay.Bridge.Ffmpeg;
using Overlay.Bridge.Import;
using Overlay.Bridge.Live;
using Overlay.Gateway.Admin;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Streams;

namespace Overlay.Cli.Commands;

/// <summary>
/// The daemon's live input (specs/stream-import.md §5): a <c>.m3u8</c> or a folder is a playlist
/// another program is writing (<see cref="LivePlaylistWatcher"/>); anything else goes through
/// ffmpeg (<see cref="LiveImporter"/>): a file played at its native rate, a URL, or stdin.
/// </summary>
internal sealed class LiveSource(IBlockStore store, StreamImportRequest request, Stream? standardInput) : ILiveStreamSource
{
    private Func<StreamMetadata> _metadata = () => new StreamMetadata { Title = request.Title };

    public StreamMetadata Metadata => _metadata();

    public async IAsyncEnumerable<SignedBundle> ReadAsync(long firstSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = new LiveImportOptions { Import = new HlsImportOptions { Key = request.Key, Title = request.Title, Class = request.Priority }, FirstSeq = firstSeq };
        IAsyncEnumerable<LiveBundle> bundles;
        if (request.Input != "-" && (Directory.Exists(request.Input) || request.Input.EndsWith(".m3u8", StringComparison.OrdinalIgnoreCase)))
        {
            var watcher = new LivePlaylistWatcher(store, options);
            _metadata = () => watcher.Metadata;
            bundles = watcher.WatchAsync(request.Input, cancellationToken: cancellationToken);
        }
        else
        {
            var importer = new LiveImporter(store, new FfmpegRunner(), options);
            _metadata = () => importer.Metadata;
            bundles = importer.ImportAsync(request.Input, standardInput, cancellationToken);
        }
        await foreach (var bundle in bundles.ConfigureAwait(false))
        {
            yield return bundle.Signed;
        }
    }
}
