// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-2-0-interaction-pattern (want-have, want-block, send-dont-have, cancel)
using System.Diagnostics;
using Overlay.Bitswap.Messages;
using Overlay.Manifest.Keys;

namespace Overlay.Bitswap.Client;

/// <summary>Who is asked for what: every method here runs under <c>_sync</c> and only records entries in an outbox.</summary>
public sealed partial class BitswapClient
{
    private const PeerWantState PassedOver = PeerWantState.DontHave | PeerWantState.TimedOut;

    private static long Now => Stopwatch.GetTimestamp();

    private static bool Elapsed(long since, TimeSpan interval) => Stopwatch.GetElapsedTime(since) >= interval;

    /// <summary>
    /// A new want: straight to the session's peers when it has some (the least busy for the
    /// block, a few others for HAVE), else broadcast as want-have. While a session knows fewer
    /// than <see cref="BitswapOptions.SessionFanout"/> peers, its wants also ask the others, so
    /// it keeps finding sources to spread over.
    /// </summary>
    private void Start(PendingWant want, WantOutbox outbox)
    {
        var connected = _network.Peers;
        var sessionPeers = want.Session?.Peers ?? [];
        var candidates = sessionPeers
            .Where(p => connected.Contains(p) && (want.StateOf(p) & PassedOver) == 0)
            .ToArray();
        if (candidates.Length == 0)
        {
            Broadcast(want, connected, askAgain: false, outbox);
            return;
        }
        var target = LeastLoaded(candidates);
        AskBlock(want, target, outbox);
        foreach (var peer in candidates.Where(p => p != target).Take(_options.SessionFanout))
        {
            AskHave(want, peer, outbox);
        }
        if (sessionPeers.Count < _options.SessionFanout)
        {
            foreach (var peer in connected.Where(p => !sessionPeers.Contains(p)).Take(_options.SessionFanout))
            {
                AskHave(want, peer, outbox);
            }
        }
        want.LastBroadcast = Now;
    }

    /// <summary>
    /// Asks connected peers whether they have the block: those never asked, or with
    /// <paramref name="askAgain"/> everyone (their earlier answers are forgotten; messages get lost
    /// and peers get blocks).
    /// </summary>
    private void Broadcast(PendingWant want, IReadOnlyCollection<PeerId> connected, bool askAgain, WantOutbox outbox)
    {
        want.LastBroadcast = Now;
        foreach (var peer in connected)
        {
            if (peer == want.Target)
            {
                continue;
            }
            if (askAgain)
            {
                want.Peers[peer] = want.StateOf(peer) & ~PassedOver;
            }
            else if (want.StateOf(peer) != PeerWantState.None)
            {
                continue;
            }
            AskHave(want, peer, outbox);
        }
    }

    private void AskHave(PendingWant want, PeerId peer, WantOutbox outbox)
    {
        want.Mark(peer, PeerWantState.AskedHave);
        outbox.Add(peer, BitswapWantlistEntry.WantHave(want.Cid));
    }

    private void AskBlock(PendingWant want, PeerId peer, WantOutbox outbox)
    {
        want.Target = peer;
        want.TargetSince = Now;
        want.Mark(peer, PeerWantState.AskedBlock);
        _load[peer] = _load.GetValueOrDefault(peer) + 1;
        outbox.Add(peer, BitswapWantlistEntry.WantBlock(want.Cid));
    }

    private void ReleaseTarget(PendingWant want)
    {
        if (want.Target is { } target && _load.TryGetValue(target, out var load))
        {
            if (load <= 1)
            {
                _load.Remove(target);
            }
            else
            {
                _load[target] = load - 1;
            }
        }
        want.Target = null;
    }

    private PeerId LeastLoaded(IEnumerable<PeerId> peers) => peers.MinBy(p => _load.GetValueOrDefault(p))!;

    /// <summary>The target failed: ask the least busy peer known to have the block, else look wider.</summary>
    private void Retarget(PendingWant want, WantOutbox outbox)
    {
        ReleaseTarget(want);
        var connected = _network.Peers;
        var holders = want.Peers
            .Where(p => (p.Value & PeerWantState.Has) != 0 && (p.Value & PassedOver) == 0 && connected.Contains(p.Key))
            .Select(p => p.Key)
            .ToArray();
        if (holders.Length > 0)
        {
            AskBlock(want, LeastLoaded(holders), outbox);
            return;
        }
        var awaitingAnswers = want.Peers.Any(p => p.Value == PeerWantState.AskedHave && connected.Contains(p.Key));
        if (!awaitingAnswers)
        {
            // Everyone asked said no (or timed out): ask the peers nobody asked yet; the timer
            // asks everyone again after the rebroadcast interval.
            Broadcast(want, connected, askAgain: false, outbox);
        }
    }

    /// <summary>
    /// <paramref name="peer"/> just said HAVE: if wants it can serve wait behind a much busier
    /// target, move the most recently targeted of them (the likeliest to be still queued there)
    /// until the two are level. A moved want the old target serves anyway simply arrives twice.
    /// </summary>
    private void Rebalance(PeerId peer, WantOutbox outbox)
    {
        var movable = _wants.Values
            .Where(w => !w.Completing && w.Target is { } t && t != peer
                && (w.StateOf(peer) & PeerWantState.Has) != 0 && (w.StateOf(peer) & PassedOver) == 0)
            .OrderByDescending(w => w.TargetSince)
            .ToArray();
        foreach (var want in movable)
        {
            var target = want.Target!;
            if (_load.GetValueOrDefault(target) < _load.GetValueOrDefault(peer) + 2)
            {
                continue;
            }
            outbox.Add(target, BitswapWantlistEntry.CancelOf(want.Cid));
            ReleaseTarget(want);
            AskBlock(want, peer, outbox);
        }
    }

    /// <summary>The timer: a target silent past the block timeout is passed over; an unserved want is rebroadcast.</summary>
    private void Tick(WantOutbox outbox)
    {
        IReadOnlyCollection<PeerId>? connected = null;
        foreach (var want in _wants.Values)
        {
            if (want.Completing)
            {
                continue;
            }
            if (want.Target is { } target)
            {
                if (Elapsed(want.TargetSince, _options.BlockTimeout))
                {
                    want.Mark(target, PeerWantState.TimedOut);
                    Retarget(want, outbox);
                }
            }
            else if (Elapsed(want.LastBroadcast, _options.RebroadcastInterval))
            {
                connected ??= _network.Peers;
                Broadcast(want, connected, askAgain: true, outbox);
                Retarget(want, outbox);
            }
        }
    }

    /// <summary>Nobody waits for the want any more: forget it and tell everyone asked.</summary>
    private void Abandon(PendingWant want, WantOutbox outbox)
    {
        if (want.Completing || !_wants.Remove(want.Cid.Hash))
        {
            return;
        }
        _recent.Add(want.Cid.Hash, want.Session);
        foreach (var peer in want.AskedPeers)
        {
            outbox.Add(peer, BitswapWantlistEntry.CancelOf(want.Cid));
        }
        ReleaseTarget(want);
        want.Completion.TrySetCanceled();
    }

    internal void PeerConnected(PeerId peer)
    {
        var outbox = new WantOutbox();
        lock (_sync)
        {
            foreach (var want in _wants.Values)
            {
                if (!want.Completing && want.Target is null && want.StateOf(peer) == PeerWantState.None)
                {
                    AskHave(want, peer, outbox);
                }
            }
        }
        outbox.SendTo(_network);
    }

    internal void PeerDisconnected(PeerId peer)
    {
        var outbox = new WantOutbox();
        lock (_sync)
        {
            foreach (var want in _wants.Values)
            {
                want.Peers.Remove(peer);
                if (!want.Completing && want.Target == peer)
                {
                    Retarget(want, outbox);
                }
            }
            _load.Remove(peer);
        }
        outbox.SendTo(_network);
    }
}
