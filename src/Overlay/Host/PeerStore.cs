using System.Collections.Concurrent;
using Overlay.Addressing;
using Overlay.Manifest.Keys;

namespace Overlay.Host;

/// <summary>Addresses and identify results per peer, bounded so a flood of peers cannot grow it without end.</summary>
public sealed class PeerStore
{
    /// <summary>Addresses kept per peer; identify already caps what one peer can announce.</summary>
    public const int MaxAddressesPerPeer = 32;

    /// <summary>Peers remembered; the least recently seen is forgotten first.</summary>
    public const int MaxPeers = 10_000;

    private readonly ConcurrentDictionary<PeerId, PeerInfo> _peers = new();

    public IReadOnlyCollection<PeerInfo> All => _peers.Values.ToArray();

    public PeerInfo? Get(PeerId peer) => _peers.TryGetValue(peer, out var info) ? info : null;

    public void AddAddresses(PeerId peer, IEnumerable<Multiaddr> addresses) =>
        Update(peer, info => info with { Addresses = info.Addresses.Concat(addresses.Select(a => a.WithoutPeer())).Distinct().Take(MaxAddressesPerPeer).ToArray() });

    public void Update(PeerId peer, Func<PeerInfo, PeerInfo> change)
    {
        if (_peers.Count >= MaxPeers && !_peers.ContainsKey(peer))
        {
            var oldest = _peers.Values.MinBy(p => p.LastSeen);
            if (oldest is not null)
            {
                _peers.TryRemove(oldest.Peer, out _);
            }
        }
        _peers.AddOrUpdate(peer, p => change(new PeerInfo(p)) with { LastSeen = DateTimeOffset.UtcNow }, (_, old) => change(old) with { LastSeen = DateTimeOffset.UtcNow });
    }
}
