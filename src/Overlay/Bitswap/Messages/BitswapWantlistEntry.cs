// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-2-0-wire-format (Wantlist.Entry)
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap.Messages;

/// <summary>One change to the sender's wantlist: a want (of a block or of its presence) or a cancel.</summary>
public sealed record BitswapWantlistEntry(Cid Cid)
{
    /// <summary>Higher is served first; the spec's default is 1.</summary>
    public int Priority { get; init; } = 1;

    /// <summary>The entry revokes an earlier want of <see cref="Cid"/>.</summary>
    public bool Cancel { get; init; }

    public BitswapWantType WantType { get; init; } = BitswapWantType.Block;

    /// <summary>Answer DONT_HAVE rather than staying silent when the block is missing.</summary>
    public bool SendDontHave { get; init; }

    public static BitswapWantlistEntry WantBlock(Cid cid, int priority = 1, bool sendDontHave = true) =>
        new(cid) { Priority = priority, WantType = BitswapWantType.Block, SendDontHave = sendDontHave };

    public static BitswapWantlistEntry WantHave(Cid cid, int priority = 1, bool sendDontHave = true) =>
        new(cid) { Priority = priority, WantType = BitswapWantType.Have, SendDontHave = sendDontHave };

    public static BitswapWantlistEntry CancelOf(Cid cid) => new(cid) { Cancel = true };
}
