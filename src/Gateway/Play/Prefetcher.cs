// Spec: specs/gateway-hls.md §4 (fetching ahead of the player).
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;

namespace Overlay.Gateway.Play;

/// <summary>
/// Time-shifted pre-positioning: each segment request queues the next few media segments of
/// the same rendition, and two workers read their bundles and payloads through the stream's
/// store, which keeps every verified block in the repo, so a player reading on finds them
/// local. A full queue drops the oldest request (the player has moved on). The workers are
/// owned and awaited on dispose.
/// </summary>
internal sealed class Prefetcher : IAsyncDisposable
{
    private const int Workers = 2;

    private readonly Channel<(PlaybackStream Stream, SignedTreeHead Head, Bundle From)> _queue =
        Channel.CreateBounded<(PlaybackStream, SignedTreeHead, Bundle)>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });

    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private readonly int _ahead;
    private readonly ILogger _logger;
    private long _prefetched;

    public Prefetcher(int ahead, ILogger logger)
    {
        _ahead = ahead;
        _logger = logger;
        _workers = ahead == 0 ? [] : Enumerable.Range(0, Workers).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    /// <summary>Segments read ahead so far (bundle and whole payload verified and local).</summary>
    public long Prefetched => Interlocked.Read(ref _prefetched);

    public void Request(PlaybackStream stream, SignedTreeHead head, Bundle from)
    {
        if (_ahead > 0 && from.Kind == BundleKind.Media && from.Seq + 1 < head.Head.Size && stream.PrefetchedThrough < from.Seq + _ahead)
        {
            _queue.Writer.TryWrite((stream, head, from));
        }
    }

    private async Task RunAsync()
    {
        var cancellationToken = _stop.Token;
        try
        {
            await foreach (var (stream, head, from) in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await PrefetchAsync(stream, head, from, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OverlayException or TimeoutException && !cancellationToken.IsCancellationRequested)
                {
                    GatewayPlayLog.PrefetchFailed(_logger, stream.Address, from.Seq, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task PrefetchAsync(PlaybackStream stream, SignedTreeHead head, Bundle from, CancellationToken cancellationToken)
    {
        // Renditions interleave: look a few leaves further per segment wanted.
        var renditions = Math.Max(1, head.Head.Metadata.Renditions.Count);
        var start = Math.Max(from.Seq + 1, stream.PrefetchedThrough + 1);
        var end = Math.Min(head.Head.Size, from.Seq + 1 + (_ahead * renditions) + renditions);
        if (start >= end)
        {
            return;
        }
        var next = (await stream.RangeAsync(head, start, end, cancellationToken).ConfigureAwait(false))
            .Where(b => PlaybackStream.IsMediaOf(b, from.Rendition))
            .Take(_ahead);
        var reader = new UnixFsReader(stream.Blocks);
        foreach (var bundle in next)
        {
            await foreach (var _ in reader.ReadAsync(bundle.Bundle.Payload, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
            }
            stream.PrefetchedThrough = Math.Max(stream.PrefetchedThrough, bundle.Bundle.Seq);
            Interlocked.Increment(ref _prefetched);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_workers).ConfigureAwait(false);
        _stop.Dispose();
    }
}
