// Spec: specs/stream-import.md §5 (live sources: ffmpeg reading a live input).
using System.Runtime.CompilerServices;
using Overlay.Bridge.Ffmpeg;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Streams;

namespace Overlay.Bridge.Live;

/// <summary>
/// A live source through ffmpeg: ffmpeg reads an input URL, stdin (<c>-</c>, fed from a stream),
/// or a file at its native rate (<c>-re</c>), segments it into an EVENT playlist in a folder
/// (<see cref="VodEncodePlan.ForLive"/>), and a <see cref="LivePlaylistWatcher"/> turns each
/// closed segment into a signed bundle while ffmpeg keeps writing. Media segments are deleted
/// once imported; a temporary folder is deleted at the end.
/// </summary>
public sealed class LiveImporter
{
    private readonly IBlockStore _store;
    private readonly FfmpegRunner _ffmpeg;
    private readonly LiveImportOptions _options;
    private readonly LivePlaylistWatcher _watcher;

    /// <summary>
    /// How much of a probed input's start is read for its keyframe spacing: long enough to see a
    /// GOP longer than any segment may be. A file is read at once; a live URL takes this long.
    /// </summary>
    public static readonly TimeSpan KeyframeWindow = TimeSpan.FromSeconds(10);

    public LiveImporter(IBlockStore store, FfmpegRunner ffmpeg, LiveImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ffmpeg);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SegmentSeconds, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SegmentSeconds, 6);
        _store = store;
        _ffmpeg = ffmpeg;
        _options = options with { DeleteImportedSegments = true };
        _watcher = new LivePlaylistWatcher(store, _options);
    }

    /// <summary>Title and renditions for the next head.</summary>
    public StreamMetadata Metadata => _watcher.Metadata;

    /// <summary>
    /// Runs ffmpeg on <paramref name="input"/> and yields a bundle per segment as it closes, until
    /// the input ends (ffmpeg exits: its last segments are still imported) or cancellation.
    /// <paramref name="standardInput"/> is ffmpeg's stdin for an input of <c>-</c>. A local
    /// file is played at its native rate; other inputs (URLs, devices, stdin) are live already.
    /// </summary>
    /// <exception cref="FfmpegException">ffmpeg or ffprobe failed.</exception>
    public async IAsyncEnumerable<LiveBundle> ImportAsync(string input, Stream? standardInput = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        var fromStdin = input is "-" or "pipe:0";
        if (fromStdin && standardInput is null)
        {
            throw new ArgumentException("input \"-\" reads the given stream, and none was given", nameof(standardInput));
        }
        // Probing stdin would consume what ffmpeg must read: an unprobed input is transcoded.
        var probe = fromStdin ? null : await MediaProbe.RunAsync(_ffmpeg, input, cancellationToken).ConfigureAwait(false);
        // A live segment cannot be redone: copying needs keyframes known to be close enough first.
        var keyframes = probe?.Video is { } video
            ? await KeyframeProbe.LongestIntervalAsync(_ffmpeg, input, video, KeyframeWindow, cancellationToken).ConfigureAwait(false)
            : null;
        var temporary = _options.OutputFolder is null;
        var folder = Path.GetFullPath(_options.OutputFolder ?? Directory.CreateTempSubdirectory("overlay-live-").FullName);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? encoder = null;
        try
        {
            Directory.CreateDirectory(folder);
            var plan = VodEncodePlan.ForLive(probe, keyframes, fromStdin ? "pipe:0" : input, folder, _options.SegmentType, _options.SegmentSeconds, nativeRate: File.Exists(input));
            encoder = fromStdin ? _ffmpeg.FfmpegAsync(plan.Arguments, standardInput!, stop.Token) : _ffmpeg.FfmpegAsync(plan.Arguments, stop.Token);
            await foreach (var bundle in _watcher.WatchAsync(Path.Combine(folder, "index.m3u8"), encoder, cancellationToken).ConfigureAwait(false))
            {
                yield return bundle;
            }
            // The watch ended because ffmpeg did: a failure is reported, not taken for the end of the input.
            await encoder.ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            if (encoder is not null)
            {
                await encoder.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
            if (temporary)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
