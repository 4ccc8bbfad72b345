// Spec: https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.0.md#control-messages (+ v1.2 IDONTWANT)
namespace Overlay.PubSub.Rpc;

/// <summary>Gossipsub control messages carried in an RPC.</summary>
public sealed record ControlMessage
{
    public IReadOnlyList<ControlIHave> IHave { get; init; } = [];

    public IReadOnlyList<ControlIWant> IWant { get; init; } = [];

    public IReadOnlyList<ControlGraft> Graft { get; init; } = [];

    public IReadOnlyList<ControlPrune> Prune { get; init; } = [];

    /// <summary>Gossipsub v1.2 (field 5).</summary>
    public IReadOnlyList<ControlIDontWant> IDontWant { get; init; } = [];

    public bool IsEmpty => IHave.Count == 0 && IWant.Count == 0 && Graft.Count == 0 && Prune.Count == 0 && IDontWant.Count == 0;
}
