// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-protocol-versions
namespace Overlay.Bitswap.Messages;

/// <summary>Which bitswap a stream speaks; decides how a message is written on it.</summary>
public enum BitswapProtocolVersion
{
    /// <summary>`/ipfs/bitswap/1.0.0` (and bare `/ipfs/bitswap`): blocks as bare bytes (field 2), no presences.</summary>
    V100,

    /// <summary>`/ipfs/bitswap/1.1.0`: blocks with a CID prefix (field 3), no presences.</summary>
    V110,

    /// <summary>`/ipfs/bitswap/1.2.0`: want-have, send-dont-have, HAVE/DONT_HAVE, pending bytes.</summary>
    V120,
}
