namespace Overlay.PubSub.Rpc;

/// <summary>A peer offered in a PRUNE (peer exchange): its ID and optionally a signed peer record.</summary>
public sealed record PeerExchangeEntry(byte[] PeerId, byte[]? SignedPeerRecord);
