// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-2-0-wire-format (Wantlist.WantType)
namespace Overlay.Bitswap.Messages;

/// <summary>What a wantlist entry asks for; the numbers are the wire values.</summary>
public enum BitswapWantType
{
    /// <summary>Send the block itself (the default, and the only kind before 1.2.0).</summary>
    Block = 0,

    /// <summary>Only say whether you have it (HAVE / DONT_HAVE).</summary>
    Have = 1,
}
