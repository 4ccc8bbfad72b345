// Spec: specs/gateway-hls.md §5 (catalog).
using Microsoft.AspNetCore.Http;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Streams;
using Overlay.Streams;

namespace Overlay.Gateway.Play;

/// <summary>
/// <c>GET /catalog</c> (every stream the node knows) and <c>GET /catalog/&lt;stream&gt;</c> (one,
/// with the peers its data came from). Neither starts following anything.
/// </summary>
internal sealed class CatalogEndpoints(PlaybackStreams streams)
{
    /// <summary>How long the catalog spends reading one held stream's bundles to sum its duration.</summary>
    private static readonly TimeSpan DurationBudget = TimeSpan.FromSeconds(2);

    public async Task CatalogAsync(HttpContext context)
    {
        var entries = new List<CatalogEntry>();
        foreach (var status in streams.Node.Streams.List())
        {
            entries.Add(await EntryAsync(status, context.RequestAborted).ConfigureAwait(false));
        }
        await WriteAsync(context, new CatalogResponse(entries)).ConfigureAwait(false);
    }

    public async Task StreamAsync(HttpContext context, string address)
    {
        if (PlaybackStreams.ParseAddress(address) is not { } key || streams.Node.Streams.GetStatus(key) is not { } status)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync($"this node does not know stream '{address}'\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var playback = streams.Get(key);
        var store = playback.Blocks as SourceTrackingBlockStore;
        await WriteAsync(context, new StreamSourcesResponse
        {
            Stream = await EntryAsync(status, context.RequestAborted).ConfigureAwait(false),
            Sources = store?.Sources.Select(p => p.ToString()).ToArray() ?? [],
            LocalBlocks = store?.LocalBlocks ?? 0,
            FetchedBlocks = store?.FetchedBlocks ?? 0,
            FetchedBytes = store?.FetchedBytes ?? 0,
        }).ConfigureAwait(false);
    }

    private async Task<CatalogEntry> EntryAsync(StreamStatus status, CancellationToken cancellationToken)
    {
        var key = PlaybackStreams.ParseAddress(status.Address)!;
        SignedTreeHead? head = null;
        try
        {
            head = await streams.KnownHeadAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (OverlayException)
        {
            // Listed without its metadata; /play reports what is wrong with it.
        }
        return new CatalogEntry
        {
            Address = status.Address,
            Title = status.Title,
            Live = head is not null && !head.Head.Sealed,
            Own = status.Own,
            Head = status.Head,
            Segments = status.Total,
            Held = status.Held,
            Duration = head is not null && status.Complete ? await DurationAsync(streams.Get(key), head, cancellationToken).ConfigureAwait(false) : null,
            Renditions = head?.Head.Metadata.Renditions ?? [],
            Peers = streams.Node.PubSub.GetPeers(StreamTopic.Of(key)).Select(p => p.ToString()).ToArray(),
            Url = PlayPaths.Playlist(status.Address),
        };
    }

    private static async Task<double?> DurationAsync(PlaybackStream stream, SignedTreeHead head, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(DurationBudget);
        try
        {
            var rendition = head.Head.Metadata.Renditions.FirstOrDefault()?.Id ?? "";
            var bundles = await stream.RangeAsync(head, 0, head.Head.Size, budget.Token).ConfigureAwait(false);
            return bundles.Where(b => PlaybackStream.IsMediaOf(b, rendition)).Sum(b => b.Bundle.Duration.TotalSeconds);
        }
        catch (Exception e) when (e is OverlayException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private static async Task WriteAsync<T>(HttpContext context, T value)
    {
        context.Response.Headers.CacheControl = "no-cache";
        var type = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)PlayJsonContext.Default.GetTypeInfo(typeof(T))!;
        await TypedResults.Json(value, type).ExecuteAsync(context).ConfigureAwait(false);
    }
}
