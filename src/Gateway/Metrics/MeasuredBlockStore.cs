using System.Diagnostics;
using Overlay.Gateway.Ipfs;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Metrics;

/// <summary>
/// The gateway's view of blocks: the local store first (timed as a local read), then the node's
/// network store (timed from want to verified block; a miss within the bound is counted as a
/// timeout). Bytes are verified by the network store on arrival and by the repo on every read.
/// </summary>
internal sealed class MeasuredBlockStore(IBlockStore local, IBlockStore network, GatewayMetrics metrics) : ForwardingBlockStore(local)
{
    public override async ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        if (await Inner.GetAsync(cid, cancellationToken).ConfigureAwait(false) is { } block)
        {
            metrics.LocalFetchLatency.Observe(Stopwatch.GetElapsedTime(started));
            return block;
        }
        started = Stopwatch.GetTimestamp();
        var fetched = await network.GetAsync(cid, cancellationToken).ConfigureAwait(false);
        if (fetched is null)
        {
            metrics.FetchTimeouts.Increment();
        }
        else
        {
            metrics.NetworkFetchLatency.Observe(Stopwatch.GetElapsedTime(started));
        }
        return fetched;
    }
}
