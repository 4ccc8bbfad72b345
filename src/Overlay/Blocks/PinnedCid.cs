using Overlay.Manifest.Multiformats;

namespace Overlay.Blocks;

/// <summary>One entry of a pin listing.</summary>
public sealed record PinnedCid(Cid Cid, PinType Type)
{
    /// <summary>kubo's lower-case name of the type ("recursive", "direct", "indirect").</summary>
    public string TypeName => Type.ToString().ToLowerInvariant();
}
