namespace Overlay.PubSub.Rpc;

/// <summary>"Send me these messages" (the answer to an IHAVE).</summary>
public sealed record ControlIWant(IReadOnlyList<byte[]> MessageIds);
