namespace Overlay.PubSub;

/// <summary>A topic validator's verdict on a message.</summary>
public enum ValidationResult
{
    /// <summary>Deliver and forward.</summary>
    Accept,

    /// <summary>Invalid: dropped, and the peer that sent it is penalised.</summary>
    Reject,

    /// <summary>Not wanted (say, stale), but not the sender's fault: dropped silently.</summary>
    Ignore,
}
