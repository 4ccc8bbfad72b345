using Microsoft.AspNetCore.Http;
using Overlay.Gateway.Metrics;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.UnixFs;
using Overlay.Node;

namespace Overlay.Gateway;

/// <summary>
/// How every content route of the gateway fetches: blocks through the node's network store
/// (local, then bitswap; each block verified) under a GC lease, each block bounded by
/// <see cref="GatewayOptions.BlockTimeout"/>, and everything before the first response byte
/// bounded by <see cref="GatewayOptions.FetchTimeout"/>. Failures before the response starts
/// become a status (404 missing path, 504 nobody sent the content in time, 502 bad upstream
/// data, 400 bad request); after it has started the connection is aborted, so a client never
/// mistakes a cut body for a whole one.
/// </summary>
public static class BoundedFetch
{
    /// <summary>
    /// Runs <paramref name="handler"/> with a leased, measured, bounded block store and a token
    /// that fires at the first-byte deadline (disarmed once the response starts) or when the
    /// client goes away. <paramref name="route"/> labels the response in the metrics.
    /// </summary>
    public static async Task RunAsync(
        HttpContext context, OverlayNode node, GatewayOptions options, GatewayMetrics metrics, string route,
        Func<IBlockStore, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(handler);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(options.FetchTimeout);
        context.Response.OnStarting(() =>
        {
            // The first byte is out: from here a stall is bounded per block, not by the deadline.
            // A response that starts after the handler returned finds the source disposed: nothing to disarm.
            try
            {
                deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
            }
            return Task.CompletedTask;
        });
        using var operation = node.Repo.Blocks.BeginOperation();
        var store = operation.Track(new MeasuredBlockStore(node.LocalBlocks, node.CreateNetworkBlocks(options.BlockTimeout), metrics));
        try
        {
            await handler(store, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested && StatusOf(e, deadline.IsCancellationRequested) is { } status)
        {
            if (context.Response.HasStarted)
            {
                metrics.AbortedResponses.Increment();
                context.Abort();
                return;
            }
            await WriteErrorAsync(context, status, MessageOf(e, options)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The client left; nothing to answer.
            return;
        }
        finally
        {
            metrics.Responded(route, context.Response.StatusCode);
        }
    }

    /// <summary>A plain-text error answer with the gateway's usual headers.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "no-cache";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync(message + "\n");
    }

    /// <summary>The status a failure maps to; null for one that is a bug (left to the server's 500).</summary>
    internal static int? StatusOf(Exception e, bool deadlinePassed) => e switch
    {
        GatewayRequestException request => request.Status,
        UnixFsPathNotFoundException => StatusCodes.Status404NotFound,
        BlockNotFoundException => StatusCodes.Status504GatewayTimeout,
        OperationCanceledException when deadlinePassed => StatusCodes.Status504GatewayTimeout,
        VerificationException or MalformedDataException or LimitExceededException => StatusCodes.Status502BadGateway,
        NotSupportedException => StatusCodes.Status501NotImplemented,
        ArgumentException => StatusCodes.Status400BadRequest,
        IOException => StatusCodes.Status502BadGateway,
        _ => null,
    };

    private static string MessageOf(Exception e, GatewayOptions options) => e switch
    {
        BlockNotFoundException missing => $"no peer provided block {missing.Cid} within {options.BlockTimeout.TotalSeconds:0.###} s",
        OperationCanceledException => $"the content was not found within {options.FetchTimeout.TotalSeconds:0.###} s",
        _ => e.Message,
    };
}
