// Spec: https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md (+ v1.2, .DontWant)
using Overlay.Manifest.Keys;
using Overlay.PubSub.Floodsub;
using Overlay.PubSub.Rpc;

namespace Overlay.PubSub.Gossip;

/// <summary>
/// Gossipsub: a mesh of about D peers per joined topic carries full messages; other topic peers
/// get IHAVE gossip. Split by concern: this file routes messages, <c>.Mesh</c> handles
/// GRAFT/PRUNE, <c>.Gossip</c> IHAVE/IWANT, <c>.DontWant</c> v1.2's IDONTWANT, <c>.Heartbeat</c>
/// the periodic maintenance.
/// </summary>
internal sealed partial class GossipSubRouter : IPubSubRouter
{
    public const string ProtocolV11 = "/meshsub/1.1.0";
    public const string ProtocolV10 = "/meshsub/1.0.0";

    private readonly PubSubState _state;
    private readonly GossipSubParameters _p;
    private readonly Dictionary<string, HashSet<PubSubPeer>> _mesh = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<PubSubPeer>> _fanout = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _fanoutLastPublished = new(StringComparer.Ordinal);
    private readonly MessageCache _cache;

    public GossipSubRouter(PubSubState state)
    {
        _state = state;
        _p = state.Options.GossipSub;
        _cache = new MessageCache(_p.HistoryLength, _p.HistoryGossip);
    }

    public IReadOnlyList<string> Protocols { get; } = [ProtocolV12, ProtocolV11, ProtocolV10, FloodsubRouter.ProtocolId];

    internal IReadOnlyCollection<PubSubPeer> MeshPeers(string topic) => _mesh.TryGetValue(topic, out var mesh) ? mesh : [];

    private DateTimeOffset Now => _state.Options.Time.GetUtcNow();

    private double Score(PubSubPeer peer) => _state.Score.Score(peer.Id);

    public void AddPeer(PubSubPeer peer)
    {
    }

    public void RemovePeer(PubSubPeer peer)
    {
        foreach (var mesh in _mesh.Values)
        {
            mesh.Remove(peer);
        }
        foreach (var fanout in _fanout.Values)
        {
            fanout.Remove(peer);
        }
        _dontSend.Remove(peer);
    }

    public void SubscriptionChanged(PubSubPeer peer, string topic, bool subscribed)
    {
        if (!subscribed)
        {
            if (_mesh.TryGetValue(topic, out var mesh) && mesh.Remove(peer))
            {
                _state.Score.Prune(peer.Id, topic);
            }
            if (_fanout.TryGetValue(topic, out var fanout))
            {
                fanout.Remove(peer);
            }
        }
    }

    public IEnumerable<PubSubPeer> PublishTargets(string topic)
    {
        var threshold = _state.Options.Score.PublishThreshold;
        if (_p.FloodPublish)
        {
            return _state.PeersIn(topic).Where(p => Score(p) >= threshold).ToList();
        }
        var targets = new HashSet<PubSubPeer>(_state.PeersIn(topic).Where(p => p.IsFloodsub && Score(p) >= threshold));
        if (_mesh.TryGetValue(topic, out var mesh))
        {
            targets.UnionWith(mesh);
        }
        else
        {
            if (!_fanout.TryGetValue(topic, out var fanout))
            {
                _fanout[topic] = fanout = [.. Pick(GossipCandidates(topic, threshold, []), _p.D)];
            }
            _fanoutLastPublished[topic] = Now;
            targets.UnionWith(fanout);
        }
        return targets;
    }

    public IEnumerable<PubSubPeer> ForwardTargets(string topic, string id, PubSubPeer source, PeerId author)
    {
        var threshold = _state.Options.Score.PublishThreshold;
        var targets = new HashSet<PubSubPeer>(_state.PeersIn(topic).Where(p => p.IsFloodsub && Score(p) >= threshold));
        if (_mesh.TryGetValue(topic, out var mesh))
        {
            targets.UnionWith(mesh);
        }
        targets.RemoveWhere(p => p == source || p.Id == author || DoesNotWant(p, id));
        return targets;
    }

    public void Accepted(PubSubPeer? source, string id, RpcMessage message)
    {
        _cache.Put(id, MessageSigning.MessageId(message), message);
        _promises.Fulfilled(id);
        if (source is not null && message.Topic is { } topic)
        {
            _state.Score.FirstDelivery(source.Id, topic);
        }
    }

    public void Duplicate(PubSubPeer source, string id, string topic)
    {
        if (_state.Seen.TryGetFirstSeen(id, out var first) && Now - first <= _state.Options.Score.MeshDeliveryWindow)
        {
            _state.Score.NearFirstDelivery(source.Id, topic);
        }
    }

    public void HandleControl(PubSubPeer peer, ControlMessage control)
    {
        if (peer.IsFloodsub)
        {
            return;
        }
        var messages = HandleIWant(peer, control.IWant);
        var iwant = HandleIHave(peer, control.IHave);
        var prunes = HandleGraft(peer, control.Graft);
        HandlePrune(peer, control.Prune);
        HandleIDontWant(peer, control.IDontWant);
        var reply = new ControlMessage { IWant = iwant is null ? [] : [iwant], Prune = prunes };
        peer.Send(new PubSubRpc { Control = reply });
        foreach (var batch in messages)
        {
            peer.Send(new PubSubRpc { Messages = batch });
        }
    }

    /// <summary>Gossipsub peers of a topic that are not floodsub, score at least <paramref name="threshold"/>, and not excluded.</summary>
    private IEnumerable<PubSubPeer> GossipCandidates(string topic, double threshold, IReadOnlyCollection<PubSubPeer> exclude) =>
        _state.PeersIn(topic).Where(p => !p.IsFloodsub && !exclude.Contains(p) && Score(p) >= threshold);

    private List<PubSubPeer> Pick(IEnumerable<PubSubPeer> candidates, int count)
    {
        var array = candidates.ToArray();
        _state.Random.Shuffle(array);
        return array.Take(Math.Max(0, count)).ToList();
    }
}
