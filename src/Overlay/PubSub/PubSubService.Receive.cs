using Overlay.Manifest.Keys;
using Overlay.PubSub.Rpc;

namespace Overlay.PubSub;

public sealed partial class PubSubService
{
    private void HandleRpc(PeerId remote, string protocol, PubSubRpc rpc)
    {
        PubSubPeer source;
        lock (_state.Gate)
        {
            if (_state.Score.Score(remote) < _state.Options.Score.GraylistThreshold)
            {
                _state.Metrics.Graylisted();
                return;
            }
            source = GetOrAddPeer(remote, protocol);
            foreach (var change in rpc.Subscriptions)
            {
                ApplySubscription(source, change);
            }
        }
        foreach (var message in rpc.Messages)
        {
            HandleMessage(source, protocol == Floodsub.FloodsubRouter.ProtocolId, message);
        }
        if (rpc.Control is { IsEmpty: false } control)
        {
            lock (_state.Gate)
            {
                if (_state.Peers.ContainsKey(remote))
                {
                    _router.HandleControl(source, control);
                }
            }
        }
    }

    private void ApplySubscription(PubSubPeer peer, SubscriptionChange change)
    {
        if (change.Subscribe)
        {
            if (peer.Topics.Count >= _state.Options.MaxTopicsPerPeer && !peer.Topics.Contains(change.Topic))
            {
                _state.Metrics.Spam();
                return;
            }
            if (peer.Topics.Add(change.Topic))
            {
                _router.SubscriptionChanged(peer, change.Topic, true);
                PeerSubscribed?.Invoke(peer.Id, change.Topic);
            }
        }
        else if (peer.Topics.Remove(change.Topic))
        {
            _router.SubscriptionChanged(peer, change.Topic, false);
        }
    }

    private void HandleMessage(PubSubPeer source, bool viaFloodsub, RpcMessage message)
    {
        if (message.Topic is not { } topic)
        {
            Penalise(source, null);
            return;
        }
        var id = MessageSigning.MessageId(message);
        var key = SeenCache.KeyOf(id);
        lock (_state.Gate)
        {
            if (!_state.Topics.Contains(topic))
            {
                // Not ours to relay: gossipsub peers only send mesh traffic for topics we joined.
                return;
            }
            if (_state.Seen.Contains(key))
            {
                _state.Metrics.Duplicate();
                _router.Duplicate(source, key, topic);
                return;
            }
        }
        // Signature checks run outside the lock; an invalid copy is not marked seen, so a valid one still gets through.
        var author = MessageSigning.Verify(message, out _);
        if (author is null)
        {
            _state.Metrics.InvalidSignature();
            Penalise(source, topic);
            return;
        }
        // A short seqno (js floodsub) is fine from a floodsub peer but breaks gossipsub's rules, and
        // gossipsub peers would penalise us for relaying it: it is delivered and flooded to
        // floodsub peers only, and kept out of the message cache so it is never gossiped.
        var floodsubOnly = !MessageSigning.HasStandardSeqno(message);
        if (floodsubOnly && !viaFloodsub)
        {
            _state.Metrics.InvalidSignature();
            Penalise(source, topic);
            return;
        }
        var received = new PubSubMessage(topic, message.Data ?? [], author, MessageSigning.SeqnoValue(message), id, source.Id);
        Func<PubSubMessage, ValidationResult>? validator;
        lock (_state.Gate)
        {
            if (!_state.Seen.TryAdd(key))
            {
                _state.Metrics.Duplicate();
                _router.Duplicate(source, key, topic);
                return;
            }
            _validators.TryGetValue(topic, out validator);
            if (!floodsubOnly)
            {
                // v1.2: before the (possibly slow) validator, so mesh peers stop sending copies sooner.
                _router.FirstSeen(source, topic, id, message);
            }
        }
        var verdict = validator?.Invoke(received) ?? ValidationResult.Accept;
        if (verdict == ValidationResult.Reject)
        {
            _state.Metrics.Reject();
            Penalise(source, topic);
            return;
        }
        if (verdict == ValidationResult.Ignore)
        {
            _state.Metrics.Ignore();
            return;
        }
        var forward = PubSubRpcCodec.Encode(new PubSubRpc { Messages = [message] });
        lock (_state.Gate)
        {
            if (!floodsubOnly)
            {
                _router.Accepted(source, key, message);
            }
            var targets = _router.ForwardTargets(topic, key, source, author).Where(p => !floodsubOnly || p.IsFloodsub).ToList();
            foreach (var peer in targets)
            {
                peer.SendEncoded(forward);
            }
            _state.Metrics.Forward(targets.Count);
            if (_subscriptions.TryGetValue(topic, out var subscribers))
            {
                foreach (var subscription in subscribers)
                {
                    subscription.Deliver(received);
                }
                _state.Metrics.Delivery();
            }
        }
    }

    private void Penalise(PubSubPeer source, string? topic)
    {
        lock (_state.Gate)
        {
            _state.Score.InvalidMessage(source.Id, topic);
        }
    }
}
