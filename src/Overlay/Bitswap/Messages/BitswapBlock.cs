// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-1-0 (Message.Block: prefix + data)
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap.Messages;

/// <summary>
/// A block as carried in a message: its bytes and the prefix to hash them with. Its CID is
/// never taken from the sender: <see cref="ComputeCid"/> hashes the bytes, so a tampered block
/// simply has another CID (one nobody asked for).
/// </summary>
public sealed class BitswapBlock
{
    public BitswapBlock(CidPrefix prefix, ReadOnlyMemory<byte> data)
    {
        Prefix = prefix;
        Data = data;
    }

    public CidPrefix Prefix { get; }

    public ReadOnlyMemory<byte> Data { get; }

    public static BitswapBlock Of(Cid cid, ReadOnlyMemory<byte> data) => new(CidPrefix.Of(cid), data);

    /// <summary>Hashes the bytes under the prefix (throws <see cref="Overlay.Manifest.Errors.VerificationException"/> for a hash we cannot compute).</summary>
    public Cid ComputeCid() => Prefix.Sum(Data.Span);
}
