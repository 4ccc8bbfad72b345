// Spec: https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.2.md#idontwant-message
using Overlay.PubSub.Rpc;

namespace Overlay.PubSub.Gossip;

/// <summary>
/// Gossipsub v1.2 IDONTWANT: on the first copy of a large message we tell our v1.2 mesh peers
/// at once that we have it, and we skip peers that told us the same when we forward. What a peer
/// may make us remember is bounded per heartbeat and forgotten after a few heartbeats.
/// </summary>
internal sealed partial class GossipSubRouter
{
    public const string ProtocolV12 = "/meshsub/1.2.0";

    private readonly Dictionary<PubSubPeer, DontSendSet> _dontSend = [];
    private long _heartbeats;

    public void FirstSeen(PubSubPeer source, string topic, byte[] id, RpcMessage message)
    {
        if ((message.Data?.Length ?? 0) < _p.IDontWantMinDataSize || !_mesh.TryGetValue(topic, out var mesh))
        {
            return;
        }
        var rpc = new PubSubRpc { Control = new ControlMessage { IDontWant = [new ControlIDontWant([id])] } };
        foreach (var peer in mesh)
        {
            if (peer != source && peer.Protocol == ProtocolV12)
            {
                peer.Send(rpc);
                _state.Metrics.DontWantSent();
            }
        }
    }

    private void HandleIDontWant(PubSubPeer peer, IReadOnlyList<ControlIDontWant> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }
        if (!_dontSend.TryGetValue(peer, out var set))
        {
            _dontSend[peer] = set = new DontSendSet();
        }
        foreach (var id in entries.SelectMany(e => e.MessageIds))
        {
            if (set.ReceivedThisHeartbeat >= _p.MaxIDontWantMessages)
            {
                _state.Metrics.Spam();
                continue;
            }
            set.ReceivedThisHeartbeat++;
            _state.Metrics.DontWantReceived();
            set.Ids[SeenCache.KeyOf(id)] = _heartbeats;
        }
    }

    private bool DoesNotWant(PubSubPeer peer, string id) => _dontSend.TryGetValue(peer, out var set) && set.Ids.ContainsKey(id);

    /// <summary>Heartbeat: new per-peer budgets, and IDs older than <see cref="GossipSubParameters.IDontWantHistory"/> heartbeats go.</summary>
    private void AgeDontSend()
    {
        _heartbeats++;
        foreach (var (peer, set) in _dontSend.ToList())
        {
            set.ReceivedThisHeartbeat = 0;
            foreach (var (id, at) in set.Ids.ToList())
            {
                if (_heartbeats - at > _p.IDontWantHistory)
                {
                    set.Ids.Remove(id);
                }
            }
            if (set.Ids.Count == 0)
            {
                _dontSend.Remove(peer);
            }
        }
    }

    private sealed class DontSendSet
    {
        public Dictionary<string, long> Ids { get; } = new(StringComparer.Ordinal);

        public int ReceivedThisHeartbeat { get; set; }
    }
}
