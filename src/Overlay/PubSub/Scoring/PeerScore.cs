// Spec: https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#the-score-function
using Overlay.Manifest.Keys;

namespace Overlay.PubSub.Scoring;

/// <summary>
/// Per-peer score counters. Not thread-safe: the pubsub service calls it under its lock.
/// State outlives a disconnect for <see cref="PeerScoreParameters.RetainScore"/> so a penalised
/// peer cannot reconnect to a clean slate; it is bounded by the peers we have seen recently.
/// </summary>
internal sealed class PeerScore(PeerScoreParameters parameters, TimeProvider time)
{
    /// <summary>Score records kept at most (connected plus recently disconnected peers).</summary>
    private const int MaxTracked = 10_000;

    private readonly Dictionary<PeerId, PeerScoreState> _peers = [];
    private DateTimeOffset _lastDecay = time.GetUtcNow();

    public PeerScoreParameters Parameters => parameters;

    public double Score(PeerId peer)
    {
        if (!_peers.TryGetValue(peer, out var state))
        {
            return 0;
        }
        var now = time.GetUtcNow();
        var score = 0.0;
        foreach (var topic in state.Topics.Values)
        {
            score += parameters.FirstDeliveryWeight * Math.Min(topic.FirstDeliveries, parameters.FirstDeliveryCap);
            if (topic.InMesh && parameters.MeshDeliveryWeight < 0 && now - topic.MeshSince >= parameters.MeshDeliveryActivation
                && topic.MeshDeliveries < parameters.MeshDeliveryThreshold)
            {
                var deficit = parameters.MeshDeliveryThreshold - topic.MeshDeliveries;
                score += parameters.MeshDeliveryWeight * deficit * deficit;
            }
            score += parameters.MeshFailurePenaltyWeight * topic.MeshFailurePenalty;
            score += parameters.InvalidMessageWeight * topic.InvalidMessages * topic.InvalidMessages;
        }
        score += parameters.InvalidMessageWeight * state.InvalidOutsideTopics * state.InvalidOutsideTopics;
        score += parameters.BehaviourPenaltyWeight * state.BehaviourPenalty * state.BehaviourPenalty;
        return score;
    }

    public void Connected(PeerId peer) => Get(peer).DisconnectedAt = null;

    public void Disconnected(PeerId peer)
    {
        if (_peers.TryGetValue(peer, out var state))
        {
            state.DisconnectedAt = time.GetUtcNow();
            foreach (var topic in state.Topics.Values)
            {
                topic.InMesh = false;
            }
        }
    }

    public void Graft(PeerId peer, string topic)
    {
        var t = Topic(peer, topic);
        t.InMesh = true;
        t.MeshSince = time.GetUtcNow();
        t.MeshDeliveries = 0;
    }

    public void Prune(PeerId peer, string topic)
    {
        if (_peers.TryGetValue(peer, out var state) && state.Topics.TryGetValue(topic, out var t))
        {
            if (t.InMesh && time.GetUtcNow() - t.MeshSince >= parameters.MeshDeliveryActivation && t.MeshDeliveries < parameters.MeshDeliveryThreshold)
            {
                var deficit = parameters.MeshDeliveryThreshold - t.MeshDeliveries;
                t.MeshFailurePenalty += deficit * deficit;
            }
            t.InMesh = false;
        }
    }

    public void FirstDelivery(PeerId peer, string topic)
    {
        var t = Topic(peer, topic);
        t.FirstDeliveries = Math.Min(t.FirstDeliveries + 1, parameters.FirstDeliveryCap);
        if (t.InMesh)
        {
            t.MeshDeliveries++;
        }
    }

    /// <summary>A duplicate from a mesh peer within the delivery window counts towards P3 (it was forwarding promptly).</summary>
    public void NearFirstDelivery(PeerId peer, string topic)
    {
        if (_peers.TryGetValue(peer, out var state) && state.Topics.TryGetValue(topic, out var t) && t.InMesh)
        {
            t.MeshDeliveries++;
        }
    }

    /// <summary>P4: an invalid message (bad signature, rejected by a validator, malformed RPC).</summary>
    public void InvalidMessage(PeerId peer, string? topic)
    {
        if (topic is null || !IsTrackedTopic(peer, topic))
        {
            Get(peer).InvalidOutsideTopics++;
            return;
        }
        Topic(peer, topic).InvalidMessages++;
    }

    /// <summary>P7: misbehaviour outside message validity (GRAFT in backoff, IWANT floods).</summary>
    public void AddPenalty(PeerId peer, double amount = 1) => Get(peer).BehaviourPenalty += amount;

    public void DecayIfDue()
    {
        var now = time.GetUtcNow();
        if (now - _lastDecay < parameters.DecayInterval)
        {
            return;
        }
        _lastDecay = now;
        var expired = new List<PeerId>();
        foreach (var (peer, state) in _peers)
        {
            if (state.DisconnectedAt is { } at && now - at > parameters.RetainScore)
            {
                expired.Add(peer);
                continue;
            }
            state.InvalidOutsideTopics = Decayed(state.InvalidOutsideTopics);
            state.BehaviourPenalty = Decayed(state.BehaviourPenalty);
            foreach (var t in state.Topics.Values)
            {
                t.FirstDeliveries = Decayed(t.FirstDeliveries);
                t.MeshDeliveries = Decayed(t.MeshDeliveries);
                t.InvalidMessages = Decayed(t.InvalidMessages);
                t.MeshFailurePenalty = Decayed(t.MeshFailurePenalty);
            }
        }
        foreach (var peer in expired)
        {
            _peers.Remove(peer);
        }
    }

    private double Decayed(double value)
    {
        var next = value * parameters.Decay;
        return Math.Abs(next) < 0.01 ? 0 : next;
    }

    /// <summary>Topic counters are kept only for a bounded number of topics per peer; beyond it penalties go to the peer-wide counter.</summary>
    private bool IsTrackedTopic(PeerId peer, string topic) => Get(peer).Topics.ContainsKey(topic) || Get(peer).Topics.Count < 64;

    private TopicScoreState Topic(PeerId peer, string topic)
    {
        var state = Get(peer);
        if (!state.Topics.TryGetValue(topic, out var t))
        {
            t = new TopicScoreState();
            if (state.Topics.Count < 64)
            {
                state.Topics[topic] = t;
            }
        }
        return t;
    }

    private PeerScoreState Get(PeerId peer)
    {
        if (_peers.TryGetValue(peer, out var state))
        {
            return state;
        }
        if (_peers.Count >= MaxTracked)
        {
            var forgotten = _peers.FirstOrDefault(p => p.Value.DisconnectedAt is not null).Key;
            if (forgotten is not null)
            {
                _peers.Remove(forgotten);
            }
        }
        state = new PeerScoreState();
        _peers[peer] = state;
        return state;
    }

    private sealed class PeerScoreState
    {
        public readonly Dictionary<string, TopicScoreState> Topics = new(StringComparer.Ordinal);
        public double InvalidOutsideTopics;
        public double BehaviourPenalty;
        public DateTimeOffset? DisconnectedAt;
    }

    private sealed class TopicScoreState
    {
        public bool InMesh;
        public DateTimeOffset MeshSince;
        public double FirstDeliveries;
        public double MeshDeliveries;
        public double InvalidMessages;
        public double MeshFailurePenalty;
    }
}
