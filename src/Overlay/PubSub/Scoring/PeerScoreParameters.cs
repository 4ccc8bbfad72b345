// Spec: https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#peer-scoring
namespace Overlay.PubSub.Scoring;

/// <summary>
/// Weights and thresholds of the v1.1 peer score. Implemented components: P2 (first message
/// deliveries), P3 and P3b (mesh message delivery deficit, and what is left of it after a
/// prune; off unless their weights are set negative, because on a quiet topic every honest mesh
/// peer would be in deficit), P4 (invalid messages) and P7 (behaviour penalty: GRAFT during a
/// backoff, IHAVE promises not kept). P1, P5 and P6 (time in mesh, application score, IP colocation) are not.
/// </summary>
public sealed record PeerScoreParameters
{
    public double FirstDeliveryWeight { get; init; } = 1;

    public double FirstDeliveryCap { get; init; } = 10;

    /// <summary>Multiplies the squared deficit below <see cref="MeshDeliveryThreshold"/>; 0 turns P3 off.</summary>
    public double MeshDeliveryWeight { get; init; }

    public double MeshDeliveryThreshold { get; init; } = 1;

    /// <summary>P3b: multiplies the squared deficit a peer had when it left the mesh, so pruning does not wash P3 away.</summary>
    public double MeshFailurePenaltyWeight { get; init; }

    /// <summary>Time in a mesh before P3 applies (a newly grafted peer has had no chance to deliver).</summary>
    public TimeSpan MeshDeliveryActivation { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A duplicate from a mesh peer this soon after the first copy still counts as a delivery.</summary>
    public TimeSpan MeshDeliveryWindow { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Multiplies the squared count of invalid messages (P4).</summary>
    public double InvalidMessageWeight { get; init; } = -10;

    /// <summary>Multiplies the squared behaviour penalty (P7).</summary>
    public double BehaviourPenaltyWeight { get; init; } = -10;

    /// <summary>Counters are multiplied by this every <see cref="DecayInterval"/>.</summary>
    public double Decay { get; init; } = 0.95;

    public TimeSpan DecayInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Below it no gossip is exchanged with the peer.</summary>
    public double GossipThreshold { get; init; } = -10;

    /// <summary>Below it our own messages are not flood-published to the peer.</summary>
    public double PublishThreshold { get; init; } = -50;

    /// <summary>Below it every RPC from the peer is ignored.</summary>
    public double GraylistThreshold { get; init; } = -80;

    /// <summary>Peer exchange from a PRUNE is followed only when the pruning peer scores at least this.</summary>
    public double AcceptPeerExchangeThreshold { get; init; }

    /// <summary>A disconnected peer's score is kept this long so reconnecting does not wash it clean.</summary>
    public TimeSpan RetainScore { get; init; } = TimeSpan.FromMinutes(10);
}
