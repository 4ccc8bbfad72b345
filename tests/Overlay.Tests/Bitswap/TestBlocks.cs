using Overlay.Manifest.Multiformats;
using Overlay.Tests.Shared;

namespace Overlay.Tests.Bitswap;

/// <summary>Deterministic raw blocks for bitswap tests.</summary>
internal static class TestBlocks
{
    public static (Cid Cid, byte[] Data) Raw(ulong seed, int size = 1 << 20)
    {
        var data = DeterministicBytes.Generate(seed, size);
        return (Cid.Compute(Multicodec.Raw, data), data);
    }
}
