// Spec: specs/stream-protocol.md §7 (commands).
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Overlay.Manifest.Streams;
using Overlay.Repo;
using Overlay.Streams;

namespace Overlay.Gateway.Admin;

internal sealed partial class AdminCommands
{
    private static readonly TimeSpan StreamReportInterval = TimeSpan.FromMilliseconds(250);

    private void MapStreams(IEndpointRouteBuilder routes)
    {
        Map(routes, "stream/publish", StreamPublishAsync);
        Map(routes, "stream/follow", StreamFollowAsync);
        Map(routes, "stream/ls", _ => TypedResults.Json(new StreamListResponse(node.Streams.List().Select(StreamEntry.From).ToArray()), StreamJsonContext.Default.StreamListResponse));
    }

    /// <summary>
    /// <c>stream/publish?arg=&lt;path&gt;[&amp;title=][&amp;key=self][&amp;priority=vod][&amp;live=false]</c>: the daemon
    /// imports the file or HLS folder at the (absolute, local) path with the named key, streams
    /// progress lines, pins and announces the sealed stream, and ends with its address.
    /// </summary>
    private async Task<IResult> StreamPublishAsync(HttpContext context)
    {
        var input = ApiArguments.Required(context.Request, "path");
        var live = Flag(context.Request, "live", defaultValue: false);
        var priority = ParsePriority(Query(context, "priority"), live ? PriorityClass.Live : PriorityClass.Vod);
        var keyName = Query(context, "key") ?? Keystore.SelfName;
        var key = new Keystore(node.Repo).Get(keyName) ?? throw new ApiArgumentException($"no key named \"{keyName}\" (overlay key gen {keyName})");
        var title = Query(context, "title") ?? (input == "-" ? "" : Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(input)));
        if (System.Text.Encoding.UTF8.GetByteCount(title) > StreamLimits.MaxTitleBytes)
        {
            throw new ApiArgumentException($"the title is over {StreamLimits.MaxTitleBytes} bytes");
        }
        if (live)
        {
            return await StreamPublishLiveAsync(context, input, key, title, priority).ConfigureAwait(false);
        }
        if (!Path.IsPathFullyQualified(input))
        {
            throw new ApiArgumentException($"the input path must be absolute (the daemon reads it): \"{input}\"");
        }
        if (!File.Exists(input) && !Directory.Exists(input))
        {
            throw new ApiArgumentException($"no file or folder at \"{input}\"");
        }
        var importer = streamImporter ?? throw new ApiArgumentException("this daemon cannot import streams");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        context.Response.ContentType = "application/json";
        return await StreamLinesAsync(context, async () =>
        {
            var latest = new LatestProgress();
            var import = importer.ImportAsync(new StreamImportRequest(input, key, title, priority), latest, cancel.Token);
            var written = default(StreamImportProgress);
            while (!import.IsCompleted)
            {
                await Task.WhenAny(import, Task.Delay(StreamReportInterval, cancel.Token)).ConfigureAwait(false);
                if (latest.Value != written)
                {
                    written = latest.Value;
                    await WriteJsonLineAsync(context.Response.Body, new StreamPublishLine { Bundles = written.Bundles, Bytes = written.Bytes }, StreamJsonContext.Default.StreamPublishLine, cancel.Token).ConfigureAwait(false);
                }
            }
            var head = await import.ConfigureAwait(false);
            var status = await node.Streams.PublishAsync(head, cancel.Token).ConfigureAwait(false);
            var done = new StreamPublishLine { Bundles = (int)head.Head.Size, Bytes = latest.Value.Bytes, Address = status.Address, Head = head.Cid.ToString() };
            await WriteJsonLineAsync(context.Response.Body, done, StreamJsonContext.Default.StreamPublishLine, cancel.Token).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>stream/follow?arg=&lt;address&gt;[&amp;once=false]</c>: follows the stream and streams its
    /// status as a line each time it changes, until every bundle under its newest head is verified
    /// and held and that head is sealed: a live stream is reported segment by segment for as long
    /// as it grows. <c>once=true</c> ends at the first moment everything known is held (caught
    /// up), live or not. A caller that hangs up stops the report, not the following.
    /// </summary>
    private async Task<IResult> StreamFollowAsync(HttpContext context)
    {
        var stream = ApiArguments.Peer(ApiArguments.Required(context.Request, "address"));
        var once = Flag(context.Request, "once", defaultValue: false);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        node.Streams.Follow(stream);
        context.Response.ContentType = "application/json";
        return await StreamLinesAsync(context, async () =>
        {
            StreamStatus? last = null;
            while (true)
            {
                var status = node.Streams.GetStatus(stream)!;
                if (status != last)
                {
                    await WriteJsonLineAsync(context.Response.Body, StreamEntry.From(status), StreamJsonContext.Default.StreamEntry, cancel.Token).ConfigureAwait(false);
                    last = status;
                }
                if (status.Complete && (once || !status.Live))
                {
                    return;
                }
                await Task.Delay(StreamReportInterval, cancel.Token).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    private static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[^1]) ? values[^1] : null;

    /// <summary>Keeps only the newest report: the writer samples it, the importer never waits on the response.</summary>
    private sealed class LatestProgress : IProgress<StreamImportProgress>
    {
        private StreamImportProgress _value;
        private readonly Lock _gate = new();

        public StreamImportProgress Value
        {
            get
            {
                lock (_gate)
                {
                    return _value;
                }
            }
        }

        public void Report(StreamImportProgress value)
        {
            lock (_gate)
            {
                _value = value;
            }
        }
    }
}
