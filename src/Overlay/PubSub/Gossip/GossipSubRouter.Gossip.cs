// Spec: https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#spam-protection-measures
using Overlay.Manifest.Keys;
using Overlay.PubSub.Rpc;

namespace Overlay.PubSub.Gossip;

internal sealed partial class GossipSubRouter
{
    /// <summary>Bytes of messages we send one peer per heartbeat in answer to IWANT, so IWANT cannot make us an amplifier.</summary>
    private const int MaxIWantBytesPerHeartbeat = 4 << 20;

    private readonly Dictionary<PeerId, int> _ihavesReceived = [];
    private readonly Dictionary<PeerId, int> _idsAsked = [];
    private readonly Dictionary<PeerId, int> _iwantBytesSent = [];
    private readonly GossipPromises _promises = new();

    private ControlIWant? HandleIHave(PubSubPeer peer, IReadOnlyList<ControlIHave> ihaves)
    {
        if (ihaves.Count == 0)
        {
            return null;
        }
        if (Score(peer) < _state.Options.Score.GossipThreshold)
        {
            return null;
        }
        var received = _ihavesReceived.GetValueOrDefault(peer.Id) + 1;
        _ihavesReceived[peer.Id] = received;
        _idsAsked.TryGetValue(peer.Id, out var asked);
        if (received > _p.MaxIHaveMessages || asked >= _p.MaxIHaveLength)
        {
            _state.Metrics.Spam(ihaves.Sum(i => i.MessageIds.Count));
            return null;
        }
        var wanted = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var ihave in ihaves)
        {
            if (!_mesh.ContainsKey(ihave.Topic))
            {
                continue;
            }
            foreach (var id in ihave.MessageIds)
            {
                if (asked + wanted.Count >= _p.MaxIHaveLength)
                {
                    _state.Metrics.Spam();
                    break;
                }
                var key = SeenCache.KeyOf(id);
                if (!_state.Seen.Contains(key))
                {
                    wanted.TryAdd(key, id);
                }
            }
        }
        _idsAsked[peer.Id] = asked + wanted.Count;
        if (wanted.Count == 0)
        {
            return null;
        }
        var tracked = wanted.Keys.ElementAt(_state.Random.Next(wanted.Count));
        _promises.Add(tracked, peer.Id, Now + _p.IWantFollowupTime);
        return new ControlIWant(wanted.Values.ToList());
    }

    /// <summary>The asked-for messages we still cache, in batches that each fit one RPC.</summary>
    private List<List<RpcMessage>> HandleIWant(PubSubPeer peer, IReadOnlyList<ControlIWant> iwants)
    {
        var batches = new List<List<RpcMessage>>();
        if (iwants.Count == 0 || Score(peer) < _state.Options.Score.GossipThreshold)
        {
            return batches;
        }
        _iwantBytesSent.TryGetValue(peer.Id, out var sent);
        var batch = new List<RpcMessage>();
        var batchBytes = 0;
        foreach (var id in iwants.SelectMany(i => i.MessageIds))
        {
            var message = _cache.GetForPeer(SeenCache.KeyOf(id), peer.Id, out var requests);
            if (message is null)
            {
                continue;
            }
            var size = (message.Data?.Length ?? 0) + 256;
            if (requests > _p.GossipRetransmission || sent + size > MaxIWantBytesPerHeartbeat)
            {
                _state.Metrics.Spam();
                continue;
            }
            if (batchBytes + size > _state.Options.Limits.MaxRpcSize && batch.Count > 0)
            {
                batches.Add(batch);
                batch = [];
                batchBytes = 0;
            }
            batch.Add(message);
            batchBytes += size;
            sent += size;
        }
        if (batch.Count > 0)
        {
            batches.Add(batch);
        }
        _iwantBytesSent[peer.Id] = sent;
        return batches;
    }

    /// <summary>IHAVE for the recent messages of each topic we mesh or fan out to, to D_lazy peers outside that set.</summary>
    private void EmitGossip()
    {
        foreach (var (topic, peers) in _mesh.Concat(_fanout))
        {
            var ids = _cache.GossipIds(topic);
            if (ids.Count == 0)
            {
                continue;
            }
            if (ids.Count > _p.MaxIHaveLength)
            {
                ids = ids[^_p.MaxIHaveLength..];
            }
            var ihave = new PubSubRpc { Control = new ControlMessage { IHave = [new ControlIHave(topic, ids)] } };
            foreach (var peer in Pick(GossipCandidates(topic, _state.Options.Score.GossipThreshold, peers), _p.DLazy))
            {
                peer.Send(ihave);
            }
        }
    }

    /// <summary>P7 for every IHAVE whose IWANT went unanswered in time.</summary>
    private void PenaliseBrokenPromises()
    {
        foreach (var peer in _promises.TakeBroken(Now))
        {
            _state.Score.AddPenalty(peer);
        }
    }

    private void ResetGossipCounters()
    {
        _ihavesReceived.Clear();
        _idsAsked.Clear();
        _iwantBytesSent.Clear();
    }
}
