using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Overlay.Bitswap.Client;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap;

/// <summary>
/// Makes a whole DAG local: walks it from the root (dag-pb, raw, dag-cbor and dag-json links)
/// and fetches every missing block over one bitswap session with a bounded number in flight.
/// Memory holds the CIDs still to visit and the blocks in flight, never the DAG's bytes; blocks
/// already local are walked without the network (each read, so one whose bytes on disk no longer
/// match its CID counts as missing and is fetched again).
/// </summary>
public sealed class DagFetcher
{
    private readonly IBlockStore _local;
    private readonly BitswapClient _client;

    public DagFetcher(BitswapService bitswap, int? maxConcurrency = null)
    {
        ArgumentNullException.ThrowIfNull(bitswap);
        _local = bitswap.LocalStore;
        _client = bitswap.Client;
        MaxConcurrency = maxConcurrency ?? bitswap.Options.MaxOutstandingWants;
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1, nameof(maxConcurrency));
    }

    /// <summary>Blocks requested from the network at once.</summary>
    public int MaxConcurrency { get; }

    /// <summary>
    /// Fetches every block reachable from <paramref name="root"/> that is not local, waiting for
    /// missing blocks until some peer has them or <paramref name="cancellationToken"/> fires. Throws
    /// <see cref="NotSupportedException"/> for a codec whose links we cannot read, and whatever
    /// the decoders throw for a malformed (yet correctly hashed) block.
    /// </summary>
    public async Task<DagFetchResult> FetchAsync(Cid root, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        var started = Stopwatch.GetTimestamp();
        var session = _client.CreateSession();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var done = Channel.CreateUnbounded<(Cid Cid, BlockArrival Block, Exception? Error)>();
        var running = new List<Task>();
        var visited = new HashSet<Multihash>();
        var frontier = new Queue<Cid>();
        long blocks = 0, fetched = 0, bytes = 0;
        var inFlight = 0;

        void Discover(Cid cid)
        {
            if (visited.Add(cid.Hash))
            {
                frontier.Enqueue(cid);
            }
        }

        void Walk(Cid cid, ReadOnlySpan<byte> block)
        {
            blocks++;
            foreach (var link in BlockLinks.Of(cid, block))
            {
                Discover(link);
            }
        }

        async Task FetchOneAsync(Cid cid)
        {
            try
            {
                // A raw leaf has no links: it only has to be stored, its bytes are not needed here.
                done.Writer.TryWrite((cid, await session.FetchAsync(cid, needData: cid.Codec != Multicodec.Raw, stop.Token).ConfigureAwait(false), null));
            }
            catch (Exception e)
            {
                done.Writer.TryWrite((cid, default, e));
            }
        }

        Discover(root);
        try
        {
            while (frontier.Count > 0 || inFlight > 0)
            {
                while (frontier.Count > 0 && inFlight < MaxConcurrency)
                {
                    var cid = frontier.Dequeue();
                    if (cid.Hash.Code == Multicodec.Identity)
                    {
                        Walk(cid, cid.Hash.Digest);
                    }
                    // Read, not probed: a file's presence says nothing of its bytes, and the store
                    // answers a corrupt block as missing (quarantining it), so it is fetched again.
                    else if (await _local.GetAsync(cid, stop.Token).ConfigureAwait(false) is { } local)
                    {
                        if (cid.Codec == Multicodec.Raw)
                        {
                            blocks++;
                        }
                        else
                        {
                            Walk(cid, local.Span);
                        }
                    }
                    else
                    {
                        running.Add(FetchOneAsync(cid));
                        inFlight++;
                    }
                }
                if (inFlight == 0)
                {
                    continue;
                }
                var (arrived, block, error) = await done.Reader.ReadAsync(stop.Token).ConfigureAwait(false);
                inFlight--;
                if (error is not null)
                {
                    ExceptionDispatchInfo.Throw(error);
                }
                fetched++;
                bytes += block.Size;
                if (arrived.Codec == Multicodec.Raw)
                {
                    blocks++;
                }
                else
                {
                    Walk(arrived, block.Data.Span);
                }
                if (running.Count > 2 * MaxConcurrency)
                {
                    running.RemoveAll(t => t.IsCompleted);
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            // Each fetch catches its own failure, so awaiting them all cannot throw.
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        return new DagFetchResult(blocks, fetched, bytes, Stopwatch.GetElapsedTime(started));
    }
}
