// Spec: specs/gateway-hls.md §1–§4.
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Overlay.Manifest.Blocks;
using Overlay.Gateway.Metrics;
using Overlay.Manifest.Errors;

namespace Overlay.Gateway.Play;

/// <summary>
/// <c>/play/&lt;stream&gt;[.m3u8]</c>, <c>/play/&lt;stream&gt;/&lt;rendition&gt;.m3u8</c> and
/// <c>/segment/&lt;stream&gt;/&lt;seq&gt;.&lt;ext&gt;</c>. Errors map to one status each: a bad
/// address 400, a name that is not there 404, an expired bundle 410, data that fails
/// verification 502, content nobody delivered within the bounds 504.
/// </summary>
internal sealed class PlayEndpoints(PlaybackStreams streams, Prefetcher prefetcher, GatewayMetrics metrics, ILogger logger)
{
    private const string PlaylistSuffix = ".m3u8";

    /// <summary><c>/play/{name}</c>: the master playlist of a stream with several renditions, else its media playlist.</summary>
    public Task PlaylistAsync(HttpContext context, string name) => GuardAsync(context, async () =>
    {
        var address = name.EndsWith(PlaylistSuffix, StringComparison.Ordinal) ? name[..^PlaylistSuffix.Length] : name;
        if (await OpenAsync(context, address).ConfigureAwait(false) is not var (stream, head))
        {
            return;
        }
        var renditions = head.Head.Metadata.Renditions;
        var text = renditions.Count > 1
            ? HlsPlaylistWriter.Master(stream.Address, renditions)
            : await streams.MediaPlaylistAsync(stream, head, renditions.Count == 1 ? renditions[0].Id : "", context.RequestAborted).ConfigureAwait(false);
        await WritePlaylistAsync(context, text, head.Head.Sealed).ConfigureAwait(false);
    });

    /// <summary><c>/play/{address}/{file}</c>: the media playlist of rendition <c>file</c> minus <c>.m3u8</c>.</summary>
    public Task RenditionPlaylistAsync(HttpContext context, string address, string file) => GuardAsync(context, async () =>
    {
        if (!file.EndsWith(PlaylistSuffix, StringComparison.Ordinal))
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, "a rendition playlist ends in .m3u8").ConfigureAwait(false);
            return;
        }
        if (await OpenAsync(context, address).ConfigureAwait(false) is not var (stream, head))
        {
            return;
        }
        var id = file[..^PlaylistSuffix.Length];
        if (head.Head.Metadata.Renditions.All(r => r.Id != id))
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, $"the stream has no rendition '{id}'").ConfigureAwait(false);
            return;
        }
        var text = await streams.MediaPlaylistAsync(stream, head, id, context.RequestAborted).ConfigureAwait(false);
        await WritePlaylistAsync(context, text, head.Head.Sealed).ConfigureAwait(false);
    });

    /// <summary><c>/segment/{address}/{file}</c>: bundle <c>seq</c>'s payload, when <c>ext</c> is the one its media type has.</summary>
    public Task SegmentAsync(HttpContext context, string address, string file) => GuardAsync(context, async () =>
    {
        var dot = file.IndexOf('.', StringComparison.Ordinal);
        // One URL per segment: no leading zeros, so caches never hold the same bytes twice.
        if (dot <= 0 || !long.TryParse(file.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            || seq.ToString(CultureInfo.InvariantCulture).Length != dot)
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, "a segment is <seq>.<ext>").ConfigureAwait(false);
            return;
        }
        if (await OpenAsync(context, address).ConfigureAwait(false) is not var (stream, head))
        {
            return;
        }
        if (seq >= head.Head.Size)
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, $"the stream's newest head has {head.Head.Size} bundles").ConfigureAwait(false);
            return;
        }
        var bundle = (await stream.BundleAsync(head, seq, context.RequestAborted).ConfigureAwait(false)).Bundle;
        if (file[(dot + 1)..] != MediaFormats.ExtensionOf(bundle))
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, $"segment {seq} is {PlayPaths.Segment(stream.Address, bundle)}").ConfigureAwait(false);
            return;
        }
        if (bundle.IsExpired(DateTimeOffset.UtcNow))
        {
            await RefuseAsync(context, StatusCodes.Status410Gone, $"bundle {seq} expired at {bundle.Expires:O}").ConfigureAwait(false);
            return;
        }
        prefetcher.Request(stream, head, bundle);
        await SegmentResponder.WriteAsync(context, stream.Blocks, bundle, reason =>
        {
            metrics.AbortedResponses.Increment();
            GatewayPlayLog.SegmentAborted(logger, stream.Address, seq, reason);
        }).ConfigureAwait(false);
        if (context.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status206PartialContent && !context.RequestAborted.IsCancellationRequested)
        {
            metrics.SegmentsServed.Increment();
            metrics.BytesServed.Add(context.Response.ContentLength ?? 0);
        }
    });

    private async Task<(PlaybackStream, Manifest.Streams.SignedTreeHead)?> OpenAsync(HttpContext context, string address)
    {
        if (PlaybackStreams.ParseAddress(address) is not { } key)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, $"'{address}' is not a stream address (k51…)").ConfigureAwait(false);
            return null;
        }
        return await streams.OpenAsync(key, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task WritePlaylistAsync(HttpContext context, string text, bool sealedStream)
    {
        var maxAge = sealedStream ? streams.Options.VodPlaylistMaxAge : streams.Options.LivePlaylistMaxAge;
        context.Response.ContentType = PlayPaths.PlaylistContentType;
        context.Response.Headers.CacheControl = string.Create(CultureInfo.InvariantCulture, $"public, max-age={(long)maxAge.TotalSeconds}");
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        context.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a handler, answering each failure with its status and a one-line text body (while nothing is sent yet).</summary>
    private async Task GuardAsync(HttpContext context, Func<Task> handler)
    {
        try
        {
            await handler().ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && StatusOf(e) is { } status && !context.RequestAborted.IsCancellationRequested)
        {
            await RefuseAsync(context, status, e.Message).ConfigureAwait(false);
        }
    }

    private static int? StatusOf(Exception e) => e switch
    {
        TimeoutException or BlockNotFoundException => StatusCodes.Status504GatewayTimeout,
        Manifest.Streams.ExpiredException => StatusCodes.Status410Gone,
        VerificationException or MalformedDataException => StatusCodes.Status502BadGateway,
        _ => null,
    };

    private async Task RefuseAsync(HttpContext context, int status, string reason)
    {
        GatewayPlayLog.Refused(logger, context.Request.Path, status, reason);
        context.Response.Headers.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.WriteAsync(reason + "\n", context.RequestAborted).ConfigureAwait(false);
        }
    }
}
