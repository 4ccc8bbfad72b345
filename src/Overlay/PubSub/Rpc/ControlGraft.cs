namespace Overlay.PubSub.Rpc;

/// <summary>"Add me to your mesh for this topic."</summary>
public sealed record ControlGraft(string Topic);
