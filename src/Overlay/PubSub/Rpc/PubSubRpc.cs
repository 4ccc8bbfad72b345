// Spec: https://github.com/libp2p/specs/blob/master/pubsub/README.md#the-rpc
namespace Overlay.PubSub.Rpc;

/// <summary>One pubsub RPC: subscription changes, messages and (gossipsub) control messages.</summary>
public sealed record PubSubRpc
{
    public IReadOnlyList<SubscriptionChange> Subscriptions { get; init; } = [];

    public IReadOnlyList<RpcMessage> Messages { get; init; } = [];

    public ControlMessage? Control { get; init; }

    public bool IsEmpty => Subscriptions.Count == 0 && Messages.Count == 0 && (Control is null || Control.IsEmpty);
}
