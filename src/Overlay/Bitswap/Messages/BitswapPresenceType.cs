// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-2-0-wire-format (BlockPresenceType)
namespace Overlay.Bitswap.Messages;

/// <summary>A peer's answer about one block; the numbers are the wire values.</summary>
public enum BitswapPresenceType
{
    Have = 0,
    DontHave = 1,
}
