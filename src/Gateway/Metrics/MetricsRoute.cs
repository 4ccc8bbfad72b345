using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Overlay.Node;

namespace Overlay.Gateway.Metrics;

/// <summary>
/// <c>GET /metrics</c>: the node's counters (host, bitswap, pubsub, block store, streams, names)
/// and the gateway's own, read at scrape time from the classes that keep them.
/// </summary>
internal static class MetricsRoute
{
    private const string BitswapProtocol = "/ipfs/bitswap/1.2.0";
    private const string PubSubProtocol = "/meshsub/1.1.0";

    public static void Map(IEndpointRouteBuilder routes, OverlayNode node, GatewayMetrics metrics) =>
        routes.MapMethods("/metrics", [HttpMethods.Get, HttpMethods.Head], (RequestDelegate)(async context =>
        {
            var text = Render(node, metrics);
            context.Response.ContentType = PrometheusText.ContentType;
            context.Response.Headers.CacheControl = "no-store";
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
            }
        }));

    internal static string Render(OverlayNode node, GatewayMetrics metrics)
    {
        var host = node.Host.Metrics;
        var bitswap = node.Bitswap.Metrics;
        var pubsub = node.PubSub.Metrics;
        var blocks = node.Repo.Blocks.Metrics;
        var streams = node.Streams.Metrics;
        var known = node.Streams.List();
        var text = new PrometheusText()
            .Gauge("overlay_peers", "Peers with an open connection.", node.Host.Connections.Count(c => !c.Closed.IsCancellationRequested))
            .Counter("overlay_connections_opened_total", "Connections established since start.", host.ConnectionsOpened)
            .Counter("overlay_streams_opened_total", "libp2p streams opened since start.", host.StreamsOpened)
            .Counter("overlay_protocol_bytes_total", "Payload bytes by protocol and direction (bitswap: block bytes; pubsub: RPC bytes).", bitswap.BytesReceived, ("protocol", BitswapProtocol), ("direction", "in"))
            .Counter("overlay_protocol_bytes_total", "", bitswap.BytesSent, ("protocol", BitswapProtocol), ("direction", "out"))
            .Counter("overlay_protocol_bytes_total", "", pubsub.BytesReceived, ("protocol", PubSubProtocol), ("direction", "in"))
            .Counter("overlay_protocol_bytes_total", "", pubsub.BytesSent, ("protocol", PubSubProtocol), ("direction", "out"))
            .Counter("overlay_blocks_verified_total", "Blocks whose bytes were checked against their CID: received over bitswap, or re-hashed on a repo read.", bitswap.BlocksReceived, ("source", "bitswap"))
            .Counter("overlay_blocks_verified_total", "", blocks.Reads, ("source", "repo"))
            .Counter("overlay_blocks_rejected_total", "Blocks refused: bitswap refusals by reason, repo files quarantined for not matching their CID.", blocks.Quarantined, ("reason", "repo-quarantined"))
            .Counter("overlay_bitswap_blocks_sent_total", "Blocks sent to peers over bitswap.", bitswap.BlocksSent)
            .Counter("overlay_bitswap_duplicate_blocks_total", "Verified blocks that arrived after their want was met.", bitswap.DuplicateBlocks)
            .Counter("overlay_pubsub_messages_total", "Pubsub messages by outcome.", pubsub.Delivered, ("outcome", "delivered"))
            .Counter("overlay_pubsub_messages_total", "", pubsub.Published, ("outcome", "published"))
            .Counter("overlay_pubsub_messages_total", "", pubsub.Forwarded, ("outcome", "forwarded"))
            .Counter("overlay_pubsub_messages_total", "", pubsub.Duplicates, ("outcome", "duplicate"))
            .Counter("overlay_pubsub_messages_total", "", pubsub.Rejected, ("outcome", "rejected"))
            .Counter("overlay_pubsub_messages_total", "", pubsub.InvalidSignatures, ("outcome", "invalid-signature"))
            .Gauge("overlay_streams", "Streams this node knows, published here or followed.", known.Count(s => s.Own), ("own", "true"))
            .Gauge("overlay_streams", "", known.Count(s => !s.Own), ("own", "false"))
            .Counter("overlay_stream_heads_accepted_total", "Signed stream heads verified and accepted.", streams.HeadsAccepted)
            .Counter("overlay_stream_bundles_verified_total", "Bundles verified (signature, inclusion, payload).", streams.BundlesVerified)
            .Counter("overlay_ipns_records_total", "IPNS records received over pubsub, by outcome.", node.Names.RecordsAccepted, ("outcome", "accepted"))
            .Counter("overlay_ipns_records_total", "", node.Names.RecordsRejected, ("outcome", "rejected"))
            .Counter("overlay_gateway_segments_served_total", "HLS segments answered by the gateway.", metrics.SegmentsServed.Value)
            .Counter("overlay_gateway_bytes_served_total", "Body bytes written by the gateway's content routes.", metrics.BytesServed.Value)
            .Counter("overlay_gateway_fetch_timeouts_total", "Blocks no peer sent within the gateway's bound.", metrics.FetchTimeouts.Value)
            .Counter("overlay_gateway_aborted_responses_total", "Responses aborted mid-body (stalled or bad upstream).", metrics.AbortedResponses.Value)
            .Counter("overlay_gateway_host_refusals_total", "Requests refused by the Host-header check.", metrics.HostRefusals.Value)
            .Histogram("overlay_gateway_block_fetch_seconds", "Time to get a block for a gateway request: from the repo, or over bitswap from want to verified block.", metrics.LocalFetchLatency, ("source", "local"))
            .Histogram("overlay_gateway_block_fetch_seconds", "", metrics.NetworkFetchLatency, ("source", "bitswap"));
        foreach (var (reason, count) in bitswap.Rejected.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            text.Counter("overlay_blocks_rejected_total", "", count, ("reason", "bitswap-" + reason));
        }
        foreach (var (reason, count) in host.Refusals.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            text.Counter("overlay_connection_refusals_total", "Connections and streams refused before use, by reason.", count, ("reason", reason));
        }
        foreach (var ((route, status), count) in metrics.Responses.OrderBy(r => r.Key.Route, StringComparer.Ordinal).ThenBy(r => r.Key.Status))
        {
            text.Counter("overlay_gateway_responses_total", "Gateway responses by route group and status.", count, ("route", route), ("code", status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return text.ToString();
    }
}
