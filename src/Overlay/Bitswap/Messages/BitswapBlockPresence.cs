// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-2-0-wire-format (BlockPresence)
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap.Messages;

/// <summary>"I have" or "I do not have" <see cref="Cid"/>.</summary>
public sealed record BitswapBlockPresence(Cid Cid, BitswapPresenceType Type);
