// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-1-0 (a block's CID is its prefix applied to its bytes)
using Overlay.Bitswap.Messages;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;

namespace Overlay.Bitswap.Client;

/// <summary>What peers tell us: presences move wants between peers; blocks are verified, stored, then handed out.</summary>
public sealed partial class BitswapClient
{
    internal async ValueTask ReceiveAsync(PeerId peer, BitswapMessage message, CancellationToken cancellationToken)
    {
        var outbox = new WantOutbox();
        if (message.Presences.Count > 0)
        {
            lock (_sync)
            {
                foreach (var presence in message.Presences)
                {
                    ApplyPresence(peer, presence, outbox);
                }
                if (message.Presences.Any(p => p.Type == BitswapPresenceType.Have))
                {
                    Rebalance(peer, outbox);
                }
            }
        }
        foreach (var block in message.Blocks)
        {
            await ReceiveBlockAsync(peer, block, outbox, cancellationToken).ConfigureAwait(false);
        }
        outbox.SendTo(_network);
    }

    private void ApplyPresence(PeerId peer, BitswapBlockPresence presence, WantOutbox outbox)
    {
        if (presence.Type == BitswapPresenceType.Have)
        {
            _metrics.HaveReceived();
        }
        else
        {
            _metrics.DontHaveReceived();
        }
        // A presence for something we no longer want crossed our cancel; a HAVE still tells
        // the want's session about one more peer with its blocks.
        if (!_wants.TryGetValue(presence.Cid.Hash, out var want) || want.Completing)
        {
            if (presence.Type == BitswapPresenceType.Have)
            {
                (want?.Session ?? _recent.SessionOf(presence.Cid.Hash))?.AddPeer(peer);
            }
            return;
        }
        if (presence.Type == BitswapPresenceType.Have)
        {
            want.Mark(peer, PeerWantState.Has);
            want.Session?.AddPeer(peer);
            if (want.Target is null)
            {
                AskBlock(want, peer, outbox);
            }
            return;
        }
        want.Mark(peer, PeerWantState.DontHave);
        if (want.Target == peer)
        {
            Retarget(want, outbox);
        }
    }

    private async ValueTask ReceiveBlockAsync(PeerId peer, BitswapBlock block, WantOutbox outbox, CancellationToken cancellationToken)
    {
        Manifest.Multiformats.Cid actual;
        try
        {
            // The CID comes from hashing the bytes: this is the verification.
            actual = block.ComputeCid();
        }
        catch (VerificationException e)
        {
            Refuse(peer, BitswapRejectReason.UnverifiableBlock, e.Message);
            return;
        }
        PendingWant? want;
        lock (_sync)
        {
            if (!_wants.TryGetValue(actual.Hash, out want) || want.Completing)
            {
                var duplicate = want is not null || _recent.Contains(actual.Hash);
                want = null;
                if (duplicate)
                {
                    _metrics.DuplicateBlock();
                    return;
                }
            }
            else
            {
                want.Completing = true;
            }
        }
        if (want is null)
        {
            Refuse(peer, BitswapRejectReason.UnrequestedBlock, actual.ToString());
            return;
        }
        try
        {
            await _store.PutAsync(want.Cid, block.Data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            lock (_sync)
            {
                Finish(want, peer, outbox);
            }
            want.Completion.TrySetException(e);
            throw;
        }
        _metrics.BlockReceived(block.Data.Length);
        bool needData;
        lock (_sync)
        {
            Finish(want, peer, outbox);
            // Finish removed the want: nobody can join it now, so the count is final.
            needData = want.DataWaiters > 0;
        }
        // The received bytes live in a buffer the network reuses once this message is handled.
        want.Completion.TrySetResult(new BlockArrival(needData ? block.Data.ToArray() : ReadOnlyMemory<byte>.Empty, block.Data.Length));
    }

    /// <summary>The want is over: forget it, cancel it everywhere it is still recorded.</summary>
    private void Finish(PendingWant want, PeerId sender, WantOutbox outbox)
    {
        _wants.Remove(want.Cid.Hash);
        _recent.Add(want.Cid.Hash, want.Session);
        foreach (var peer in want.AskedPeers)
        {
            // The sender dropped a want-block from its ledger when it sent the block.
            if (peer != sender || peer != want.Target)
            {
                outbox.Add(peer, BitswapWantlistEntry.CancelOf(want.Cid));
            }
        }
        ReleaseTarget(want);
        want.Session?.AddPeer(sender);
    }

    private void Refuse(PeerId peer, string reason, string detail)
    {
        _metrics.Reject(reason);
        BitswapLog.BlockRejected(_logger, peer.ToString(), reason, detail);
        _network.Penalise(peer, reason);
    }
}
