using Overlay.Bitswap.Messages;
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap.Server;

/// <summary>One want of one peer, as its <see cref="PeerLedger"/> tracks it (mutated only under the ledger's lock).</summary>
internal sealed class LedgerEntry(Cid cid)
{
    public Cid Cid { get; } = cid;

    public BitswapWantType WantType { get; set; }

    public bool SendDontHave { get; set; }

    public int Priority { get; set; }

    /// <summary>Waiting in the ready queue.</summary>
    public bool Queued { get; set; }

    /// <summary>We already told the peer DONT_HAVE; we stay silent until the block arrives.</summary>
    public bool DontHaveSent { get; set; }

    /// <summary>Cancelled, replaced, answered or the ledger stopped: queue items for it are stale.</summary>
    public bool Removed { get; set; }
}
