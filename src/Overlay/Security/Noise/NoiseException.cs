using Overlay.Manifest.Errors;

namespace Overlay.Security.Noise;

/// <summary>The Noise handshake or a transport frame failed; <see cref="Reason"/> says how.</summary>
public sealed class NoiseException : OverlayException
{
    public NoiseException(string message, Exception? inner = null) : this(NoiseFailure.Malformed, message, inner) { }

    public NoiseException(NoiseFailure reason, string message, Exception? inner = null) : base($"noise: {message}", inner) => Reason = reason;

    public NoiseFailure Reason { get; }
}
