// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-2-0-interaction-pattern (server side: full or incremental wantlists, priorities, cancels)
using System.Threading.Channels;
using Overlay.Bitswap.Messages;
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap.Server;

/// <summary>
/// What one connected peer wants from us: bounded to a fixed number of entries, keyed by
/// multihash (a CIDv0 and the equal CIDv1 are one block), served highest priority first. A
/// want we cannot answer yet stays until the block arrives or the peer cancels; the ledger
/// dies with the peer's last connection.
/// </summary>
internal sealed class PeerLedger
{
    private readonly Lock _sync = new();
    private readonly Dictionary<Multihash, LedgerEntry> _entries = [];
    private readonly PriorityQueue<LedgerEntry, (int NegatedPriority, long Sequence)> _ready = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly int _capacity;
    private long _sequence;

    public PeerLedger(int capacity) => _capacity = capacity;

    public CancellationToken Stopping => _stop.Token;

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _entries.Count;
            }
        }
    }

    public IReadOnlyList<BitswapWantlistEntry> Snapshot()
    {
        lock (_sync)
        {
            return _entries.Values
                .Select(e => new BitswapWantlistEntry(e.Cid) { Priority = e.Priority, WantType = e.WantType, SendDontHave = e.SendDontHave })
                .ToArray();
        }
    }

    /// <summary>Applies a wantlist; returns how many new wants were ignored because the ledger is full.</summary>
    public int Apply(BitswapMessage message)
    {
        var refused = 0;
        lock (_sync)
        {
            if (message.FullWantlist)
            {
                foreach (var entry in _entries.Values)
                {
                    entry.Removed = true;
                }
                _entries.Clear();
                _ready.Clear();
            }
            foreach (var want in message.Wantlist)
            {
                var key = want.Cid.Hash;
                if (want.Cancel)
                {
                    if (_entries.Remove(key, out var cancelled))
                    {
                        cancelled.Removed = true;
                    }
                    continue;
                }
                if (!_entries.TryGetValue(key, out var entry))
                {
                    if (_entries.Count >= _capacity)
                    {
                        refused++;
                        continue;
                    }
                    entry = new LedgerEntry(want.Cid);
                    _entries[key] = entry;
                }
                entry.WantType = want.WantType;
                entry.Priority = want.Priority;
                entry.SendDontHave = want.SendDontHave;
                // Asking again means "answer again" (the peer may have missed our DONT_HAVE).
                entry.DontHaveSent = false;
                Enqueue(entry);
            }
            CompactIfStale();
        }
        _wake.Writer.TryWrite(true);
        return refused;
    }

    /// <summary>A block arrived in our store: a want of it is worth another look.</summary>
    public void BlockArrived(Multihash key)
    {
        lock (_sync)
        {
            if (!_entries.TryGetValue(key, out var entry) || entry.Queued)
            {
                return;
            }
            Enqueue(entry);
        }
        _wake.Writer.TryWrite(true);
    }

    public async ValueTask<bool> WaitForWorkAsync(CancellationToken cancellationToken)
    {
        var more = await _wake.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        _wake.Reader.TryRead(out _);
        return more;
    }

    public bool TryDequeue(out LedgerEntry entry)
    {
        lock (_sync)
        {
            while (_ready.TryDequeue(out entry!, out _))
            {
                if (!entry.Removed)
                {
                    entry.Queued = false;
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>Removes an answered want; false when it was cancelled meanwhile (then send nothing).</summary>
    public bool TryComplete(LedgerEntry entry)
    {
        lock (_sync)
        {
            if (entry.Removed)
            {
                return false;
            }
            entry.Removed = true;
            _entries.Remove(entry.Cid.Hash);
            return true;
        }
    }

    /// <summary>True when a DONT_HAVE is due for <paramref name="entry"/> (asked for, not yet sent, still wanted).</summary>
    public bool ShouldSendDontHave(LedgerEntry entry)
    {
        lock (_sync)
        {
            if (entry.Removed || !entry.SendDontHave || entry.DontHaveSent)
            {
                return false;
            }
            entry.DontHaveSent = true;
            return true;
        }
    }

    public void Stop()
    {
        lock (_sync)
        {
            foreach (var entry in _entries.Values)
            {
                entry.Removed = true;
            }
            _entries.Clear();
            _ready.Clear();
        }
        _wake.Writer.TryComplete();
        _stop.Cancel();
    }

    private void Enqueue(LedgerEntry entry)
    {
        if (entry.Queued)
        {
            return;
        }
        entry.Queued = true;
        _ready.Enqueue(entry, (-entry.Priority, ++_sequence));
    }

    /// <summary>Want/cancel churn leaves stale queue items; rebuild before they outgrow the live entries.</summary>
    private void CompactIfStale()
    {
        if (_ready.Count <= 2 * _capacity)
        {
            return;
        }
        var live = new List<LedgerEntry>();
        while (_ready.TryDequeue(out var entry, out _))
        {
            if (!entry.Removed)
            {
                entry.Queued = false;
                live.Add(entry);
            }
        }
        foreach (var entry in live)
        {
            Enqueue(entry);
        }
    }
}
