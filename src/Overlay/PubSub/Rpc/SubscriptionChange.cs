namespace Overlay.PubSub.Rpc;

/// <summary>The <c>SubOpts</c> entry: the sender (un)subscribed from a topic.</summary>
public sealed record SubscriptionChange(bool Subscribe, string Topic);
