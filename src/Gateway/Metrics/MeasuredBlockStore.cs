using System.Diagnostics;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Metrics;

/// <summary>
/// The gateway's view of blocks: the local store first (timed as a local read), then the node's
/// network store (timed from want to verified block; a miss within the bound is counted as a
/// timeout). Bytes are verified by the network store on arrival and by the repo on every read.
/// </summary>
internal sealed class MeasuredBlockStore(IBlockStore local, IBlockStore network, GatewayMetrics metrics) : IBlockStore
{
    public async ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        if (await local.GetAsync(cid, cancellationToken).ConfigureAwait(false) is { } block)
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

    public ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => local.PutAsync(cid, data, cancellationToken);

    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => local.HasAsync(cid, cancellationToken);

    public ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default) => local.GetSizeAsync(cid, cancellationToken);

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default) => local.DeleteAsync(cid, cancellationToken);

    public IAsyncEnumerable<Cid> ListAsync(CancellationToken cancellationToken = default) => local.ListAsync(cancellationToken);
}
