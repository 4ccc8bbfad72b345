// Spec: https://github.com/libp2p/specs/blob/master/pubsub/README.md (floodsub: forward to every subscribed peer)
using Overlay.Manifest.Keys;
using Overlay.PubSub.Rpc;

namespace Overlay.PubSub.Floodsub;

/// <summary>Floods every message to every peer subscribed to its topic, except where it came from.</summary>
internal sealed class FloodsubRouter(PubSubState state) : IPubSubRouter
{
    public const string ProtocolId = "/floodsub/1.0.0";

    public IReadOnlyList<string> Protocols { get; } = [ProtocolId];

    public void AddPeer(PubSubPeer peer)
    {
    }

    public void RemovePeer(PubSubPeer peer)
    {
    }

    public void Join(string topic)
    {
    }

    public void Leave(string topic)
    {
    }

    public void SubscriptionChanged(PubSubPeer peer, string topic, bool subscribed)
    {
    }

    public IEnumerable<PubSubPeer> PublishTargets(string topic) =>
        state.PeersIn(topic).Where(p => state.Score.Score(p.Id) >= state.Options.Score.PublishThreshold);

    public void FirstSeen(PubSubPeer source, string topic, byte[] id, RpcMessage message)
    {
    }

    public IEnumerable<PubSubPeer> ForwardTargets(string topic, string id, PubSubPeer source, PeerId author) =>
        state.PeersIn(topic).Where(p => p != source && p.Id != author && state.Score.Score(p.Id) >= state.Options.Score.GraylistThreshold);

    public void Accepted(PubSubPeer? source, string id, RpcMessage message)
    {
    }

    public void Duplicate(PubSubPeer source, string id, string topic)
    {
    }

    public void HandleControl(PubSubPeer peer, ControlMessage control)
    {
    }

    public void Heartbeat() => state.Score.DecayIfDue();
}
