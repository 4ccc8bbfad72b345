using Overlay.Manifest.Errors;

namespace Overlay.Negotiation;

/// <summary>Protocol negotiation failed: no common protocol, or the peer broke multistream-select.</summary>
public sealed class NegotiationException : OverlayException
{
    public NegotiationException(string message, Exception? inner = null) : base(message, inner) { }
}
