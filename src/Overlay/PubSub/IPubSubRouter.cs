using Overlay.Manifest.Keys;
using Overlay.PubSub.Rpc;

namespace Overlay.PubSub;

/// <summary>
/// What differs between floodsub and gossipsub: who gets a message, and control traffic.
/// Every member is called under the service's lock and must not block.
/// </summary>
internal interface IPubSubRouter
{
    /// <summary>Protocols to offer, preferred first.</summary>
    IReadOnlyList<string> Protocols { get; }

    void AddPeer(PubSubPeer peer);

    void RemovePeer(PubSubPeer peer);

    void Join(string topic);

    void Leave(string topic);

    void SubscriptionChanged(PubSubPeer peer, string topic, bool subscribed);

    /// <summary>Where a message we author goes.</summary>
    IEnumerable<PubSubPeer> PublishTargets(string topic);

    /// <summary>The first copy of message <paramref name="id"/> arrived from <paramref name="source"/> (signature checked, not yet validated).</summary>
    void FirstSeen(PubSubPeer source, string topic, byte[] id, RpcMessage message);

    /// <summary>Where a valid received message (seen-cache key <paramref name="id"/>) is forwarded (never back to its source or author).</summary>
    IEnumerable<PubSubPeer> ForwardTargets(string topic, string id, PubSubPeer source, PeerId author);

    /// <summary>A new valid message (ours or received) entered the network.</summary>
    void Accepted(PubSubPeer? source, string id, RpcMessage message);

    /// <summary>A copy of a message already seen arrived from <paramref name="source"/>.</summary>
    void Duplicate(PubSubPeer source, string id, string topic);

    void HandleControl(PubSubPeer peer, ControlMessage control);

    void Heartbeat();
}
