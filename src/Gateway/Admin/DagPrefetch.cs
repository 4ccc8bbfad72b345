using Overlay.Manifest.Codecs;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Admin;

/// <summary>
/// Fetches a DAG ahead of a depth-first reader (<c>dag/export</c>'s CAR writer), so the reader
/// finds the blocks here instead of waiting one round trip per block: a few workers take CIDs
/// from a stack in the reader's own order (links pushed last-first) and read each through
/// <paramref name="store"/>, which keeps what it fetches (under the caller's lease). Memory holds
/// the CIDs met and the blocks in flight, never the DAG. A block that cannot be had is skipped:
/// the reader meets it and reports it. Disposing stops the workers.
/// </summary>
internal sealed class DagPrefetch : IAsyncDisposable
{
    private readonly IBlockStore _store;
    private readonly Stack<Cid> _pending = new();
    private readonly HashSet<Cid> _seen = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _ready = new(0);
    private readonly CancellationTokenSource _stop;
    private readonly Task[] _workers;

    public DagPrefetch(IBlockStore store, Cid root, int workers, CancellationToken cancellationToken)
    {
        _store = store;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Push([root]);
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(_stop.Token)))];
    }

    private void Push(IReadOnlyList<Cid> cids)
    {
        var added = 0;
        lock (_gate)
        {
            for (var i = cids.Count - 1; i >= 0; i--)
            {
                if (cids[i].Hash.Code != Multicodec.Identity && _seen.Add(cids[i]))
                {
                    _pending.Push(cids[i]);
                    added++;
                }
            }
        }
        if (added > 0)
        {
            _ready.Release(added);
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Cid cid;
            lock (_gate)
            {
                cid = _pending.Pop();
            }
            try
            {
                if (await _store.GetAsync(cid, cancellationToken).ConfigureAwait(false) is { } block && cid.Codec != Multicodec.Raw)
                {
                    var links = new List<Cid>();
                    CollectLinks(IpldCodecs.Decode(cid.Codec, block.Span), links);
                    Push(links);
                }
            }
            catch (Exception e) when (e is OverlayException or IOException or OperationCanceledException)
            {
                // The reader meets the same block and reports what is wrong with it.
            }
        }
    }

    /// <summary>Links in the node's order: map entries as stored, list items in turn (the order the CAR writer follows).</summary>
    private static void CollectLinks(IpldNode node, List<Cid> links)
    {
        switch (node)
        {
            case IpldLink link:
                links.Add(link.Cid);
                break;
            case IpldMap map:
                foreach (var entry in map.Entries)
                {
                    CollectLinks(entry.Value, links);
                }
                break;
            case IpldList list:
                foreach (var item in list.Items)
                {
                    CollectLinks(item, links);
                }
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_workers).ConfigureAwait(false);
        _stop.Dispose();
        _ready.Dispose();
    }
}
