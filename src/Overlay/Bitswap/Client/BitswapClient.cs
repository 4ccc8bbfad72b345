// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-2-0-interaction-pattern (client side)
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Overlay.Bitswap.Network;
using Overlay.Host;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap.Client;

/// <summary>
/// Fetches blocks by CID from connected peers. A want is first asked of the session's peers (the
/// least busy one for the block, a few others for HAVE) or, in a new session, broadcast as
/// want-have; the first peer to answer HAVE is asked for the block. DONT_HAVE and timeouts move
/// the want to another peer; a block is verified (its bytes hash to the CID wanted) before it is
/// stored or handed out, and everyone asked gets a cancel.
/// </summary>
public sealed partial class BitswapClient
{
    private readonly IBitswapNetwork _network;
    private readonly IBlockStore _store;
    private readonly BitswapOptions _options;
    private readonly BitswapMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Lock _sync = new();
    private readonly Dictionary<Multihash, PendingWant> _wants = [];
    private readonly Dictionary<PeerId, int> _load = [];
    private readonly RecentKeys _recent;
    private bool _stopped;

    internal BitswapClient(IBitswapNetwork network, IBlockStore store, BitswapOptions options, BitswapMetrics metrics, ILogger logger, BackgroundTasks tasks)
    {
        _network = network;
        _store = store;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _recent = new RecentKeys(options.RecentWantsRemembered);
        tasks.Run("bitswap client timers", TickLoopAsync);
    }

    /// <summary>The CIDs we are waiting for.</summary>
    public IReadOnlyList<Cid> Wantlist
    {
        get
        {
            lock (_sync)
            {
                return _wants.Values.Select(w => w.Cid).ToArray();
            }
        }
    }

    public BitswapSession CreateSession() => new(this);

    /// <summary>The block's bytes, from the local store or the network; waits until found or cancelled.</summary>
    public Task<ReadOnlyMemory<byte>> GetBlockAsync(Cid cid, CancellationToken cancellationToken = default) =>
        GetBlockAsync(cid, session: null, cancellationToken);

    /// <summary>
    /// Fetches <paramref name="cids"/> with up to <see cref="BitswapOptions.MaxOutstandingWants"/>
    /// in flight, yielding each as it arrives (not in request order).
    /// </summary>
    public IAsyncEnumerable<FetchedBlock> GetBlocksAsync(IEnumerable<Cid> cids, CancellationToken cancellationToken = default) =>
        GetBlocksAsync(cids, CreateSession(), cancellationToken);

    internal async Task<ReadOnlyMemory<byte>> GetBlockAsync(Cid cid, BitswapSession? session, CancellationToken cancellationToken) =>
        (await FetchAsync(cid, session, needData: true, cancellationToken).ConfigureAwait(false)).Data;

    /// <summary>
    /// Makes the block local (from the network when missing) and returns its size, with its bytes
    /// only when <paramref name="needData"/>: a caller that only needs the block stored (a DAG
    /// fetch of raw leaves) spares a copy of every block received.
    /// </summary>
    internal async Task<BlockArrival> FetchAsync(Cid cid, BitswapSession? session, bool needData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cid);
        if (cid.Hash.Code == Multicodec.Identity)
        {
            return new BlockArrival(cid.Hash.Digest.ToArray(), cid.Hash.DigestLength);
        }
        if (needData)
        {
            if (await _store.GetAsync(cid, cancellationToken).ConfigureAwait(false) is { } local)
            {
                return new BlockArrival(local, local.Length);
            }
        }
        else if (await _store.GetSizeAsync(cid, cancellationToken).ConfigureAwait(false) is { } size)
        {
            return new BlockArrival(ReadOnlyMemory<byte>.Empty, size);
        }
        var outbox = new WantOutbox();
        PendingWant want;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (!_wants.TryGetValue(cid.Hash, out want!))
            {
                want = new PendingWant(cid, session);
                _wants[cid.Hash] = want;
                Start(want, outbox);
            }
            want.Waiters++;
            if (needData)
            {
                want.DataWaiters++;
            }
        }
        outbox.SendTo(_network);
        try
        {
            return await want.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_sync)
            {
                if (needData)
                {
                    want.DataWaiters--;
                }
                if (--want.Waiters == 0)
                {
                    Abandon(want, outbox);
                }
            }
            outbox.SendTo(_network);
            throw;
        }
    }

    internal async IAsyncEnumerable<FetchedBlock> GetBlocksAsync(IEnumerable<Cid> cids, BitswapSession session, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cids);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var done = Channel.CreateUnbounded<(Cid Cid, ReadOnlyMemory<byte> Data, Exception? Error)>();
        var running = new List<Task>();
        using var source = cids.GetEnumerator();
        var inFlight = 0;

        async Task FetchOneAsync(Cid cid)
        {
            try
            {
                done.Writer.TryWrite((cid, await GetBlockAsync(cid, session, stop.Token).ConfigureAwait(false), null));
            }
            catch (Exception e)
            {
                done.Writer.TryWrite((cid, default, e));
            }
        }

        try
        {
            while (true)
            {
                while (inFlight < _options.MaxOutstandingWants && source.MoveNext())
                {
                    running.Add(FetchOneAsync(source.Current));
                    inFlight++;
                }
                if (inFlight == 0)
                {
                    yield break;
                }
                var (cid, data, error) = await done.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                inFlight--;
                if (error is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                }
                if (running.Count > 2 * _options.MaxOutstandingWants)
                {
                    running.RemoveAll(t => t.IsCompleted);
                }
                yield return new FetchedBlock(cid, data);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            // Each fetch catches its own failure, so awaiting them all cannot throw.
            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    internal void Stop()
    {
        List<PendingWant> pending;
        lock (_sync)
        {
            _stopped = true;
            pending = [.. _wants.Values];
            _wants.Clear();
        }
        foreach (var want in pending)
        {
            want.Completion.TrySetException(new ObjectDisposedException(nameof(BitswapClient), "bitswap stopped"));
        }
    }

    private async Task TickLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.TickInterval);
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
        {
            var outbox = new WantOutbox();
            lock (_sync)
            {
                Tick(outbox);
            }
            outbox.SendTo(_network);
        }
    }
}
