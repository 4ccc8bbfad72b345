// Shape: kubo's RPC, https://docs.ipfs.tech/reference/kubo/rpc/#api-v0-pubsub-pub (and -sub, -ls, -peers)
using System.Buffers.Binary;
using System.Text;
using Microsoft.AspNetCore.Http;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.PubSub;

namespace Overlay.Gateway.Admin;

internal sealed partial class AdminCommands
{
    /// <summary>
    /// <c>pubsub/pub?arg=&lt;topic&gt;</c> with the data as a multipart file: signs and sends one
    /// message. As in kubo ≥ 0.11 the topic is multibase-encoded (any base; clients use
    /// base64url, prefix <c>u</c>), so any bytes survive the query string.
    /// </summary>
    private async Task<IResult> PubSubPublishAsync(HttpContext context)
    {
        var topic = Topic(ApiArguments.Required(context.Request, "topic"));
        var limit = RpcLimitsMaxData;
        var reader = ApiMultipart.Open(context, limit + MultipartOverhead);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var section = await ApiMultipart.FirstAsync(reader, "data", cancel.Token).ConfigureAwait(false);
        var data = await ApiMultipart.ReadAllAsync(new MultipartBodyStream(section.Body), limit, () => new ApiArgumentException($"message is over {limit} bytes"), cancel.Token).ConfigureAwait(false);
        node.PubSub.Publish(topic, data);
        return TypedResults.Ok();
    }

    /// <summary>
    /// <c>pubsub/sub?arg=&lt;topic&gt;</c>: subscribes, sends the response headers at once (so the
    /// caller knows the subscription is live) and streams one JSON line per message until the
    /// caller hangs up or the daemon stops: <c>from</c> (peer ID), <c>data</c>, <c>seqno</c> and
    /// <c>topicIDs</c> multibase-encoded, as kubo sends them. Only messages whose StrictSign
    /// signature checked out reach a subscription.
    /// </summary>
    private async Task<IResult> PubSubSubscribeAsync(HttpContext context)
    {
        var topic = Topic(ApiArguments.Required(context.Request, "topic"));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        using var subscription = node.PubSub.Subscribe(topic);
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(cancel.Token).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancel.Token).ConfigureAwait(false);
        var topicIds = new[] { Multibase.Encode(Encoding.UTF8.GetBytes(topic), MultibaseEncoding.Base64Url) };
        var seqno = new byte[sizeof(ulong)];
        try
        {
            await foreach (var message in subscription.Messages.ReadAllAsync(cancel.Token).ConfigureAwait(false))
            {
                BinaryPrimitives.WriteUInt64BigEndian(seqno, message.Seqno);
                var line = new PubSubMessageResponse(
                    message.From.ToString(),
                    Multibase.Encode(message.Data.Span, MultibaseEncoding.Base64Url),
                    Multibase.Encode(seqno, MultibaseEncoding.Base64Url),
                    topicIds);
                await WriteJsonLineAsync(context.Response.Body, line, ApiJsonContext.Default.PubSubMessageResponse, cancel.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The caller hung up, or the daemon is stopping: the stream just ends.
        }
        return Results.Empty;
    }

    /// <summary><c>pubsub/ls</c>: our topics, multibase-encoded as kubo lists them.</summary>
    private IResult PubSubTopics(HttpContext context) =>
        TypedResults.Json(new StringsResponse(node.PubSub.Topics.Select(t => Multibase.Encode(Encoding.UTF8.GetBytes(t), MultibaseEncoding.Base64Url)).ToArray()), ApiJsonContext.Default.StringsResponse);

    /// <summary><c>pubsub/peers[?arg=&lt;topic&gt;]</c>: peers speaking pubsub with us, or those subscribed to the topic.</summary>
    private IResult PubSubPeers(HttpContext context)
    {
        var topicText = ApiArguments.Optional(context.Request, "topic");
        var topic = topicText is null ? null : Topic(topicText);
        var peers = node.PubSub.GetPeers(topic).Select(p => p.ToString()).Order(StringComparer.Ordinal).ToArray();
        return TypedResults.Json(new StringsResponse(peers), ApiJsonContext.Default.StringsResponse);
    }

    private static int RpcLimitsMaxData => Overlay.PubSub.Rpc.RpcLimits.Default.MaxDataSize;

    /// <summary>A multibase-encoded topic name, decoded; it must be UTF-8 text, as libp2p topics are strings.</summary>
    private static string Topic(string encoded)
    {
        byte[] bytes;
        try
        {
            bytes = Multibase.Decode(encoded);
        }
        catch (MalformedDataException e)
        {
            throw new ApiArgumentException($"the topic must be multibase-encoded (e.g. u + base64url of its bytes): {e.Message}", e);
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new ApiArgumentException("the topic is not UTF-8 text", e);
        }
    }
}
