using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Blocks;

/// <summary>
/// A DAG walk needed a block the store does not have (an incomplete CAR, a partial pin, a
/// block not yet fetched). Distinct from <see cref="VerificationException"/>: nothing is wrong
/// with the data that is present, so a gateway answers "not found"/"bad gateway", not "corrupt".
/// </summary>
public sealed class BlockNotFoundException : OverlayException
{
    public BlockNotFoundException(Cid cid) : base($"block {cid} is not in the store")
    {
        Cid = cid;
    }

    public Cid Cid { get; }
}
