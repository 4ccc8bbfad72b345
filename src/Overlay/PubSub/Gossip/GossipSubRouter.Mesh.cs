// Spec: https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#prune-backoff-and-peer-exchange
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.PubSub.Rpc;

namespace Overlay.PubSub.Gossip;

internal sealed partial class GossipSubRouter
{
    /// <summary>A backoff a peer asks for is capped, so a PRUNE cannot lock a peer out of our mesh for good.</summary>
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    private readonly Dictionary<(PeerId Peer, string Topic), DateTimeOffset> _backoff = [];

    public void Join(string topic)
    {
        if (_mesh.ContainsKey(topic))
        {
            return;
        }
        var mesh = new HashSet<PubSubPeer>();
        if (_fanout.Remove(topic, out var fanout))
        {
            mesh.UnionWith(fanout.Where(p => Score(p) >= 0 && !InBackoff(p, topic)));
            _fanoutLastPublished.Remove(topic);
        }
        _mesh[topic] = mesh;
        var more = Pick(GossipCandidates(topic, 0, mesh).Where(p => !InBackoff(p, topic)), _p.D - mesh.Count);
        mesh.UnionWith(more);
        foreach (var peer in mesh)
        {
            Graft(peer, topic);
        }
    }

    public void Leave(string topic)
    {
        if (!_mesh.Remove(topic, out var mesh))
        {
            return;
        }
        foreach (var peer in mesh)
        {
            _state.Score.Prune(peer.Id, topic);
            SetBackoff(peer.Id, topic, _p.PruneBackoff);
            peer.Send(new PubSubRpc { Control = new ControlMessage { Prune = [MakePrune(peer, topic, peerExchange: true)] } });
        }
    }

    private void Graft(PubSubPeer peer, string topic)
    {
        _state.Score.Graft(peer.Id, topic);
        peer.Send(new PubSubRpc { Control = new ControlMessage { Graft = [new ControlGraft(topic)] } });
    }

    private List<ControlPrune> HandleGraft(PubSubPeer peer, IReadOnlyList<ControlGraft> grafts)
    {
        var prunes = new List<ControlPrune>();
        foreach (var graft in grafts)
        {
            if (!_mesh.TryGetValue(graft.Topic, out var mesh))
            {
                // Not our topic: ignored without a reply, so GRAFT floods for made-up topics cost one lookup each.
                _state.Metrics.Spam();
                continue;
            }
            if (mesh.Contains(peer))
            {
                continue;
            }
            if (InBackoff(peer, graft.Topic))
            {
                // v1.1: grafting during a backoff we asked for is misbehaviour (P7).
                _state.Score.AddPenalty(peer.Id);
                _state.Metrics.Spam();
                SetBackoff(peer.Id, graft.Topic, _p.PruneBackoff);
                prunes.Add(MakePrune(peer, graft.Topic, peerExchange: false));
                continue;
            }
            if (Score(peer) < 0)
            {
                SetBackoff(peer.Id, graft.Topic, _p.PruneBackoff);
                prunes.Add(MakePrune(peer, graft.Topic, peerExchange: false));
                continue;
            }
            if (mesh.Count >= _p.DHigh)
            {
                SetBackoff(peer.Id, graft.Topic, _p.PruneBackoff);
                prunes.Add(MakePrune(peer, graft.Topic, peerExchange: true));
                continue;
            }
            mesh.Add(peer);
            _state.Score.Graft(peer.Id, graft.Topic);
        }
        return prunes;
    }

    private void HandlePrune(PubSubPeer peer, IReadOnlyList<ControlPrune> prunes)
    {
        foreach (var prune in prunes)
        {
            if (!_state.Topics.Contains(prune.Topic))
            {
                // Backoff state is kept only for our topics, so PRUNEs for made-up topics cannot grow it.
                _state.Metrics.Spam();
                continue;
            }
            if (_mesh.TryGetValue(prune.Topic, out var mesh) && mesh.Remove(peer))
            {
                _state.Score.Prune(peer.Id, prune.Topic);
            }
            var asked = prune.BackoffSeconds is { } seconds ? TimeSpan.FromSeconds(Math.Min(seconds, (ulong)MaxBackoff.TotalSeconds)) : _p.PruneBackoff;
            SetBackoff(peer.Id, prune.Topic, asked);
            if (prune.Peers.Count > 0 && _mesh.ContainsKey(prune.Topic) && Score(peer) >= _state.Options.Score.AcceptPeerExchangeThreshold)
            {
                FollowPeerExchange(prune.Peers);
            }
        }
    }

    private void FollowPeerExchange(IReadOnlyList<PeerExchangeEntry> entries)
    {
        var connects = 0;
        foreach (var entry in entries)
        {
            if (connects >= _p.MaxPeerExchangeConnects)
            {
                break;
            }
            PeerId candidate;
            try
            {
                candidate = PeerId.Decode(entry.PeerId);
            }
            catch (MalformedDataException)
            {
                continue;
            }
            if (candidate == _state.Self || _state.Peers.ContainsKey(candidate))
            {
                continue;
            }
            connects++;
            _state.Connect?.Invoke(candidate);
        }
    }

    /// <summary>A PRUNE for <paramref name="peer"/>; v1.0 peers get neither backoff nor peer exchange.</summary>
    private ControlPrune MakePrune(PubSubPeer peer, string topic, bool peerExchange)
    {
        if (peer.Protocol == ProtocolV10)
        {
            return new ControlPrune(topic, [], null);
        }
        var exchange = peerExchange
            ? Pick(GossipCandidates(topic, 0, [peer]), _p.PrunePeers).Select(p => new PeerExchangeEntry(p.Id.ToArray(), null)).ToList()
            : [];
        return new ControlPrune(topic, exchange, (ulong)_p.PruneBackoff.TotalSeconds);
    }

    private bool InBackoff(PubSubPeer peer, string topic) =>
        _backoff.TryGetValue((peer.Id, topic), out var until) && until > Now;

    private void SetBackoff(PeerId peer, string topic, TimeSpan duration)
    {
        var until = Now + duration;
        if (!_backoff.TryGetValue((peer, topic), out var current) || current < until)
        {
            _backoff[(peer, topic)] = until;
        }
    }

    private void ExpireBackoffs()
    {
        var now = Now;
        foreach (var key in _backoff.Where(b => b.Value <= now).Select(b => b.Key).ToList())
        {
            _backoff.Remove(key);
        }
    }
}
