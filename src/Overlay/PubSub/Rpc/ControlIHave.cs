namespace Overlay.PubSub.Rpc;

/// <summary>"I have these message IDs for this topic" (gossip).</summary>
public sealed record ControlIHave(string Topic, IReadOnlyList<byte[]> MessageIds);
