// Spec: https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.0.md#heartbeat
using Overlay.PubSub.Rpc;

namespace Overlay.PubSub.Gossip;

internal sealed partial class GossipSubRouter
{
    public void Heartbeat()
    {
        _state.Score.DecayIfDue();
        ResetGossipCounters();
        ExpireBackoffs();
        AgeDontSend();
        PenaliseBrokenPromises();
        foreach (var (topic, mesh) in _mesh)
        {
            MaintainMesh(topic, mesh);
        }
        MaintainFanout();
        EmitGossip();
        _cache.Shift();
    }

    private void MaintainMesh(string topic, HashSet<PubSubPeer> mesh)
    {
        foreach (var peer in mesh.Where(p => Score(p) < 0).ToList())
        {
            mesh.Remove(peer);
            _state.Score.Prune(peer.Id, topic);
            SetBackoff(peer.Id, topic, _p.PruneBackoff);
            peer.Send(new PubSubRpc { Control = new ControlMessage { Prune = [MakePrune(peer, topic, peerExchange: false)] } });
        }
        if (mesh.Count < _p.DLow)
        {
            foreach (var peer in Pick(GossipCandidates(topic, 0, mesh).Where(p => !InBackoff(p, topic)), _p.D - mesh.Count))
            {
                mesh.Add(peer);
                Graft(peer, topic);
            }
        }
        else if (mesh.Count > _p.DHigh)
        {
            // Keep the best-scoring D; ties broken at random so the mesh does not ossify around the same peers.
            var shuffled = mesh.ToArray();
            _state.Random.Shuffle(shuffled);
            foreach (var peer in shuffled.OrderByDescending(Score).Skip(_p.D).ToList())
            {
                mesh.Remove(peer);
                _state.Score.Prune(peer.Id, topic);
                SetBackoff(peer.Id, topic, _p.PruneBackoff);
                peer.Send(new PubSubRpc { Control = new ControlMessage { Prune = [MakePrune(peer, topic, peerExchange: true)] } });
            }
        }
    }

    private void MaintainFanout()
    {
        var now = Now;
        foreach (var topic in _fanoutLastPublished.Where(f => now - f.Value > _p.FanoutTtl).Select(f => f.Key).ToList())
        {
            _fanout.Remove(topic);
            _fanoutLastPublished.Remove(topic);
        }
        var threshold = _state.Options.Score.PublishThreshold;
        foreach (var (topic, fanout) in _fanout)
        {
            fanout.RemoveWhere(p => !p.Topics.Contains(topic) || Score(p) < threshold);
            if (fanout.Count < _p.D)
            {
                fanout.UnionWith(Pick(GossipCandidates(topic, threshold, fanout), _p.D - fanout.Count));
            }
        }
    }
}
