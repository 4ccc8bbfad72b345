using Overlay.Addressing;
using Overlay.Manifest.Keys;

namespace Overlay.Host;

/// <summary>What we know about a peer, mostly from identify. Immutable; the store swaps whole records.</summary>
public sealed record PeerInfo(PeerId Peer)
{
    public IReadOnlyList<Multiaddr> Addresses { get; init; } = [];
    public IReadOnlyList<string> Protocols { get; init; } = [];
    public string? AgentVersion { get; init; }
    public string? ProtocolVersion { get; init; }
    public PublicKey? PublicKey { get; init; }
    public DateTimeOffset LastSeen { get; init; } = DateTimeOffset.UtcNow;
}
