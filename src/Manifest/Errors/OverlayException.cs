namespace Overlay.Manifest.Errors;

/// <summary>
/// Root of the one error model: every failure that comes from data (bytes from the network or
/// disk) rather than from caller misuse is an <see cref="OverlayException"/> subtype. Caller
/// misuse stays <see cref="ArgumentException"/> / <see cref="InvalidOperationException"/>.
/// </summary>
public abstract class OverlayException : Exception
{
    protected OverlayException(string message, Exception? inner = null) : base(message, inner) { }
}
