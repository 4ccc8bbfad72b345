// Spec: specs/stream-protocol.md §7 (commands) and §9 (live publishing).
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.Streams;

namespace Overlay.Gateway.Admin;

internal sealed partial class AdminCommands
{
    /// <summary>
    /// <c>stream/publish?arg=&lt;input&gt;&amp;live=true[&amp;wait=true][&amp;priority=live]</c>: starts a
    /// live publication in the daemon (it outlives the request), streams progress lines, names the
    /// stream once its first head is announced and, unless asked to wait, ends there. The input is
    /// an absolute path (a playlist being written, a folder, a video file), a URL ffmpeg reads, or
    /// <c>-</c>: the request body is the input, so the request lasts as long as the input does.
    /// </summary>
    private async Task<IResult> StreamPublishLiveAsync(HttpContext context, string input, Ed25519PrivateKey key, string title, PriorityClass priority)
    {
        var importer = streamImporter ?? throw new ApiArgumentException("this daemon cannot import streams");
        var fromBody = input == "-";
        var wait = fromBody || Flag(context.Request, "wait", defaultValue: false);
        Stream? body = null;
        if (fromBody)
        {
            // A live body is long and may be quiet for a while (an encoder starting up).
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = null;
            }
            if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
            {
                rate.MinDataRate = null;
            }
            body = context.Request.Body;
        }
        else if (!Uri.TryCreate(input, UriKind.Absolute, out var uri) || uri.IsFile)
        {
            if (!Path.IsPathFullyQualified(input))
            {
                throw new ApiArgumentException($"the input must be an absolute path, a URL or \"-\" (the daemon reads it): \"{input}\"");
            }
            var folder = input.EndsWith(".m3u8", StringComparison.OrdinalIgnoreCase) ? Path.GetDirectoryName(input) : null;
            if (!File.Exists(input) && !Directory.Exists(input) && (folder is null || !Directory.Exists(folder)))
            {
                throw new ApiArgumentException($"no file or folder at \"{input}\"");
            }
        }
        var source = importer.OpenLive(new StreamImportRequest(input, key, title, priority), body);
        LivePublication publication;
        try
        {
            publication = await node.Streams.PublishLiveAsync(key, first => source.ReadAsync(first, CancellationToken.None), () => source.Metadata, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new ApiArgumentException(e.Message);
        }
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        // A caller that gives up before anything was published takes the publication with it
        // (e.g. a playlist path that never gets written); after the first head it runs on its own.
        await using var abandon = context.RequestAborted.Register(() =>
        {
            if (publication.Head is null)
            {
                // The service owns and awaits the publication's end.
                publication.Stop(seal: false);
            }
        });
        context.Response.ContentType = "application/json";
        return await StreamLinesAsync(context, async () =>
        {
            var written = (Bundles: -1L, Bytes: -1L);
            var named = false;
            while (true)
            {
                var ended = publication.Completion.IsCompleted;
                var head = publication.Head;
                var line = new StreamPublishLine { Bundles = (int)publication.Bundles, Bytes = publication.Bytes };
                if (head is not null && (!named || ended))
                {
                    line = line with { Address = publication.Address, Head = head.Cid.ToString(), Live = true, Sealed = head.Head.Sealed };
                    named = true;
                }
                if (line.Address is not null || (line.Bundles, line.Bytes) != written)
                {
                    written = (line.Bundles, line.Bytes);
                    await WriteJsonLineAsync(context.Response.Body, line, StreamJsonContext.Default.StreamPublishLine, cancel.Token).ConfigureAwait(false);
                }
                if (ended)
                {
                    // Reports the source's failure (ffmpeg, an unreadable playlist) as the last line.
                    await publication.Completion.ConfigureAwait(false);
                    if (!named)
                    {
                        throw new ApiArgumentException("the live input ended before its first segment");
                    }
                    return;
                }
                if (named && !wait)
                {
                    return;
                }
                await Task.WhenAny(publication.Completion, Task.Delay(StreamReportInterval, cancel.Token)).ConfigureAwait(false);
                cancel.Token.ThrowIfCancellationRequested();
            }
        }).ConfigureAwait(false);
    }

    private static PriorityClass ParsePriority(string? name, PriorityClass defaultValue)
    {
        if (name is null)
        {
            return defaultValue;
        }
        foreach (var priority in Enum.GetValues<PriorityClass>())
        {
            if (priority.WireName() == name)
            {
                return priority;
            }
        }
        throw new ApiArgumentException($"priority \"{name}\" is not one of live, near_live, vod");
    }
}
