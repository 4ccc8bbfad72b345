using Overlay.Manifest.Errors;

namespace Overlay.Host;

/// <summary>A connection or stream was refused because a configured limit was reached.</summary>
public sealed class ConnectionLimitException : OverlayException
{
    public ConnectionLimitException(string message) : base(message) { }
}
