using Overlay.Manifest.Errors;

namespace Overlay.Security.Noise;

/// <summary>The Noise handshake or a transport frame failed: bad MAC, bad signature, wrong peer, oversized frame.</summary>
public sealed class NoiseException : OverlayException
{
    public NoiseException(string message, Exception? inner = null) : base(message, inner) { }
}
