// Spec: https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.2.md#protobuf-extension
namespace Overlay.PubSub.Rpc;

/// <summary>"I already have these messages: don't send them to me" (gossipsub v1.2).</summary>
public sealed record ControlIDontWant(IReadOnlyList<byte[]> MessageIds);
