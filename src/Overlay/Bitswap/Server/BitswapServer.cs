// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-2-0-interaction-pattern (S answers want-have with HAVE/DONT_HAVE, want-block with the block)
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Overlay.Bitswap.Messages;
using Overlay.Bitswap.Network;
using Overlay.Host;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap.Server;

/// <summary>
/// Serves blocks from an <see cref="IBlockStore"/> to the peers that want them. Each peer has a
/// <see cref="PeerLedger"/> and one worker that answers its wants in priority order, packing
/// blocks and presences into messages of at most 4 MiB; the network's bounded queue makes the
/// worker wait for a slow peer instead of reading ahead without limit.
/// </summary>
public sealed class BitswapServer
{
    /// <summary>Room left in a message for field headers beyond what each item is charged.</summary>
    private const int MessageHeadroom = 1024;

    /// <summary>Charged per block and per presence on top of its bytes: tags, lengths, prefix.</summary>
    private const int ItemOverhead = 64;

    private readonly IBitswapNetwork _network;
    private readonly IBlockStore _store;
    private readonly BitswapOptions _options;
    private readonly BitswapMetrics _metrics;
    private readonly ILogger _logger;
    private readonly BackgroundTasks _tasks;
    private readonly ConcurrentDictionary<PeerId, PeerLedger> _ledgers = new();

    internal BitswapServer(IBitswapNetwork network, IBlockStore store, BitswapOptions options, BitswapMetrics metrics, ILogger logger, BackgroundTasks tasks)
    {
        _network = network;
        _store = store;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _tasks = tasks;
    }

    /// <summary>Peers with a ledger (they sent a wantlist and are still connected).</summary>
    public int LedgerCount => _ledgers.Count;

    /// <summary>What <paramref name="peer"/> currently wants from us and has not been given.</summary>
    public IReadOnlyList<BitswapWantlistEntry> WantlistOf(PeerId peer) =>
        _ledgers.TryGetValue(peer, out var ledger) ? ledger.Snapshot() : [];

    /// <summary>A block was added to our store: peers waiting for it are served.</summary>
    public void NotifyNewBlock(Cid cid)
    {
        foreach (var ledger in _ledgers.Values)
        {
            ledger.BlockArrived(cid.Hash);
        }
    }

    internal void ReceiveWantlist(PeerId peer, BitswapMessage message)
    {
        _metrics.WantReceived(message.Wantlist.Count);
        if (!_network.IsConnected(peer))
        {
            return;
        }
        var ledger = _ledgers.GetOrAdd(peer, StartLedger);
        if (!_network.IsConnected(peer))
        {
            // The peer left while we created its ledger; it must not outlive the connection.
            PeerDisconnected(peer);
            return;
        }
        var refused = ledger.Apply(message);
        for (var i = 0; i < refused; i++)
        {
            _metrics.Reject(BitswapRejectReason.LedgerFull);
        }
    }

    internal void PeerDisconnected(PeerId peer)
    {
        if (_ledgers.TryRemove(peer, out var ledger))
        {
            ledger.Stop();
        }
    }

    internal void Stop()
    {
        foreach (var peer in _ledgers.Keys)
        {
            PeerDisconnected(peer);
        }
    }

    private PeerLedger StartLedger(PeerId peer)
    {
        var ledger = new PeerLedger(_options.MaxLedgerEntriesPerPeer);
        _tasks.Run($"bitswap ledger {peer}", stopping => ServeAsync(peer, ledger, stopping));
        return ledger;
    }

    private async Task ServeAsync(PeerId peer, PeerLedger ledger, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, ledger.Stopping);
        try
        {
            while (await ledger.WaitForWorkAsync(linked.Token).ConfigureAwait(false))
            {
                await AnswerAsync(peer, ledger, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
        }
    }

    private async Task AnswerAsync(PeerId peer, PeerLedger ledger, CancellationToken cancellationToken)
    {
        var batch = new ResponseBatch();
        while (ledger.TryDequeue(out var entry))
        {
            var (size, data) = await LookUpAsync(peer, entry, cancellationToken).ConfigureAwait(false);
            if (data is { } block)
            {
                if (ledger.TryComplete(entry))
                {
                    await batch.AddAsync(this, peer, BitswapBlock.Of(entry.Cid, block), cancellationToken).ConfigureAwait(false);
                }
            }
            else if (size is not null && entry.WantType == BitswapWantType.Have)
            {
                if (ledger.TryComplete(entry))
                {
                    await batch.AddAsync(this, peer, new BitswapBlockPresence(entry.Cid, BitswapPresenceType.Have), cancellationToken).ConfigureAwait(false);
                }
            }
            else if (ledger.ShouldSendDontHave(entry))
            {
                await batch.AddAsync(this, peer, new BitswapBlockPresence(entry.Cid, BitswapPresenceType.DontHave), cancellationToken).ConfigureAwait(false);
            }
        }
        await batch.FlushAsync(this, peer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The block's size when we hold it, and its bytes when the want needs them: always for
    /// want-block; for want-have only when the block is small enough to send instead of HAVE.
    /// Unreadable or oversized blocks count as missing.
    /// </summary>
    private async ValueTask<(int? Size, ReadOnlyMemory<byte>? Data)> LookUpAsync(PeerId peer, LedgerEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            if (entry.WantType == BitswapWantType.Have)
            {
                var size = await _store.GetSizeAsync(entry.Cid, cancellationToken).ConfigureAwait(false);
                if (size is not { } s || s > BitswapLimits.MaxBlockSize)
                {
                    return (null, null);
                }
                if (s > _options.ReplaceHaveWithBlockSize)
                {
                    return (s, null);
                }
            }
            var data = await _store.GetAsync(entry.Cid, cancellationToken).ConfigureAwait(false);
            return data is { Length: <= BitswapLimits.MaxBlockSize } block ? (block.Length, block) : (null, null);
        }
        catch (Exception e) when (e is OverlayException or IOException)
        {
            BitswapLog.ServeFailed(_logger, peer.ToString(), $"{entry.Cid}: {e.Message}");
            return (null, null);
        }
    }

    /// <summary>Blocks and presences collected for one peer, sent whenever the next item would pass 4 MiB.</summary>
    private sealed class ResponseBatch
    {
        private const int Budget = BitswapLimits.MaxMessageSize - MessageHeadroom;
        private List<BitswapBlock> _blocks = [];
        private List<BitswapBlockPresence> _presences = [];
        private long _size;

        public async ValueTask AddAsync(BitswapServer server, PeerId peer, BitswapBlock block, CancellationToken cancellationToken)
        {
            var cost = block.Data.Length + ItemOverhead;
            if (_size + cost > Budget)
            {
                await FlushAsync(server, peer, cancellationToken).ConfigureAwait(false);
            }
            _blocks.Add(block);
            _size += cost;
        }

        public async ValueTask AddAsync(BitswapServer server, PeerId peer, BitswapBlockPresence presence, CancellationToken cancellationToken)
        {
            var cost = presence.Cid.Bytes.Length + ItemOverhead;
            if (_size + cost > Budget || _presences.Count >= BitswapLimits.MaxPresences)
            {
                await FlushAsync(server, peer, cancellationToken).ConfigureAwait(false);
            }
            _presences.Add(presence);
            _size += cost;
        }

        public async ValueTask FlushAsync(BitswapServer server, PeerId peer, CancellationToken cancellationToken)
        {
            if (_blocks.Count == 0 && _presences.Count == 0)
            {
                return;
            }
            var message = new BitswapMessage { Blocks = _blocks, Presences = _presences };
            _blocks = [];
            _presences = [];
            _size = 0;
            await server._network.SendAsync(peer, message, cancellationToken).ConfigureAwait(false);
        }
    }
}
