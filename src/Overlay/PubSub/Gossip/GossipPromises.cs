// Spec: https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#spam-protection-measures
using Overlay.Manifest.Keys;

namespace Overlay.PubSub.Gossip;

/// <summary>
/// IHAVE promises: for each IWANT we send, one of the asked-for IDs is tracked; if the message
/// does not arrive in time, the peer that advertised it is penalised. One entry per IWANT, and
/// IWANTs per peer are capped per heartbeat, so this stays small. Not thread-safe.
/// </summary>
internal sealed class GossipPromises
{
    private readonly Dictionary<string, Dictionary<PeerId, DateTimeOffset>> _promises = new(StringComparer.Ordinal);

    public int Count => _promises.Count;

    public void Add(string key, PeerId peer, DateTimeOffset deadline)
    {
        if (!_promises.TryGetValue(key, out var peers))
        {
            _promises[key] = peers = [];
        }
        peers.TryAdd(peer, deadline);
    }

    /// <summary>The message arrived (from anyone): every promise for it is kept.</summary>
    public void Fulfilled(string key) => _promises.Remove(key);

    /// <summary>Removes and returns the peers whose promises expired, once per broken promise.</summary>
    public List<PeerId> TakeBroken(DateTimeOffset now)
    {
        var broken = new List<PeerId>();
        foreach (var (key, peers) in _promises.ToList())
        {
            foreach (var (peer, deadline) in peers.ToList())
            {
                if (deadline <= now)
                {
                    broken.Add(peer);
                    peers.Remove(peer);
                }
            }
            if (peers.Count == 0)
            {
                _promises.Remove(key);
            }
        }
        return broken;
    }
}
