using Overlay.Manifest.Errors;

namespace Overlay.Blocks;

/// <summary>A pin change that cannot be made: not pinned, pinned in a way that forbids it, or a block of the DAG could not be found.</summary>
public sealed class PinException : OverlayException
{
    public PinException(string message) : base(message) { }
}
