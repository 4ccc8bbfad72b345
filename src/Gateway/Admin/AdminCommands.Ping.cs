using System.Globalization;
using Microsoft.AspNetCore.Http;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;

namespace Overlay.Gateway.Admin;

internal sealed partial class AdminCommands
{
    /// <summary>kubo's default <c>--count</c>.</summary>
    private const int DefaultPingCount = 10;

    /// <summary>A bound on one request's work; a longer run is a script's loop, not one command.</summary>
    private const int MaxPingCount = 10_000;

    /// <summary>kubo waits a second between pings.</summary>
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(1);

    /// <summary>A ping not answered by then is reported lost, and the next one goes out.</summary>
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>ping?arg=&lt;peer ID or multiaddr&gt;&amp;count=N</c>: connects first (so a peer we
    /// cannot reach is an HTTP error, not a stream of failures), then streams one JSON line per
    /// ping as kubo does: a "PING &lt;peer&gt;." header, a line per pong (or per lost ping) and
    /// "Average latency: …".
    /// </summary>
    private async Task<IResult> PingAsync(HttpContext context)
    {
        var target = ApiArguments.Required(context.Request, "peer ID or multiaddr");
        var count = ApiArguments.Integer(context.Request, DefaultPingCount, 1, MaxPingCount, "count", "n");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        PeerId peer;
        if (target.StartsWith('/'))
        {
            var address = ApiArguments.Multiaddress(target);
            if (address.PeerIdBytes is { } bytes && PeerId.Decode(bytes.Span) == node.PeerId)
            {
                throw new ApiArgumentException("cannot ping ourselves");
            }
            peer = (await node.Host.ConnectAsync(address, cancel.Token).ConfigureAwait(false)).RemotePeer;
        }
        else
        {
            peer = ApiArguments.Peer(target);
            if (peer == node.PeerId)
            {
                throw new ApiArgumentException("cannot ping ourselves");
            }
            await node.Host.ConnectAsync(peer, cancel.Token).ConfigureAwait(false);
        }
        // kubo marks a streamed answer this way; its clients read it line by line.
        context.Response.Headers["X-Chunked-Output"] = "1";
        return TypedResults.Stream(body => StreamPingsAsync(body, peer, count, context.RequestAborted), "application/json");
    }

    private async Task StreamPingsAsync(Stream body, PeerId peer, int count, CancellationToken requestAborted)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        var token = cancel.Token;
        try
        {
            await WriteJsonLineAsync(body, new PingReply(true, 0, $"PING {peer}."), ApiJsonContext.Default.PingReply, token).ConfigureAwait(false);
            var total = TimeSpan.Zero;
            var received = 0;
            for (var i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    await Task.Delay(PingInterval, token).ConfigureAwait(false);
                }
                var reply = await PingOnceAsync(peer, token).ConfigureAwait(false);
                if (reply.Success)
                {
                    received++;
                    total += TimeSpan.FromTicks(reply.Time / 100);
                }
                await WriteJsonLineAsync(body, reply, ApiJsonContext.Default.PingReply, token).ConfigureAwait(false);
            }
            var summary = received == 0
                ? new PingReply(false, 0, $"ping failed: no answer from {peer}")
                : new PingReply(true, 0, "Average latency: " + (total.TotalMilliseconds / received).ToString("0.00", CultureInfo.InvariantCulture) + "ms");
            await WriteJsonLineAsync(body, summary, ApiJsonContext.Default.PingReply, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The caller hung up or the daemon is stopping: nobody is left to tell.
        }
    }

    private async Task<PingReply> PingOnceAsync(PeerId peer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PingTimeout);
        try
        {
            var rtt = (await node.Ping.PingAsync(peer, 1, timeout.Token).ConfigureAwait(false))[0];
            node.Latencies.Record(peer, rtt);
            return new PingReply(true, rtt.Ticks * 100, "");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new PingReply(false, 0, $"Ping error: no answer within {PingTimeout.TotalSeconds:0} s");
        }
        catch (OverlayException e)
        {
            return new PingReply(false, 0, "Ping error: " + e.Message);
        }
    }
}
