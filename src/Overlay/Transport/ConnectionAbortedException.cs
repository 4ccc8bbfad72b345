using Overlay.Manifest.Errors;

namespace Overlay.Transport;

/// <summary>The connection was aborted locally or reset by the peer.</summary>
public sealed class ConnectionAbortedException : OverlayException
{
    public ConnectionAbortedException(string message, Exception? inner = null) : base(message, inner) { }
}
