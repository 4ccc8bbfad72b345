// Spec: https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#prune-backoff-and-peer-exchange
namespace Overlay.PubSub.Rpc;

/// <summary>"You are out of my mesh for this topic"; with peers to try instead and a backoff in seconds.</summary>
public sealed record ControlPrune(string Topic, IReadOnlyList<PeerExchangeEntry> Peers, ulong? BackoffSeconds);
