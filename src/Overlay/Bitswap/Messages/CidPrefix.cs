// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-1-0 (Block.prefix: a CID without its digest)
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap.Messages;

/// <summary>
/// Everything of a CID except the digest: version, codec, hash function and digest length,
/// each an unsigned varint. A receiver hashes the block's bytes with it to learn the block's
/// CID, so the CID of a received block always describes its actual bytes.
/// </summary>
public sealed record CidPrefix(int Version, ulong Codec, ulong HashCode, int DigestLength)
{
    private const string Format = "bitswap";

    /// <summary>The prefix of a CIDv0 (dag-pb, sha2-256, 32 bytes): what 1.0.0 blocks implicitly have.</summary>
    public static CidPrefix V0 { get; } = new(0, Multicodec.DagPb, Multicodec.Sha2_256, 32);

    public static CidPrefix Of(Cid cid) => new(cid.Version, cid.Codec, cid.Hash.Code, cid.Hash.DigestLength);

    public int EncodedLength =>
        Varint.EncodedLength((ulong)Version) + Varint.EncodedLength(Codec) + Varint.EncodedLength(HashCode) + Varint.EncodedLength((ulong)DigestLength);

    public int Write(Span<byte> destination)
    {
        var offset = Varint.Write((ulong)Version, destination);
        offset += Varint.Write(Codec, destination[offset..]);
        offset += Varint.Write(HashCode, destination[offset..]);
        offset += Varint.Write((ulong)DigestLength, destination[offset..]);
        return offset;
    }

    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength];
        Write(bytes);
        return bytes;
    }

    /// <summary>Decodes a prefix that must span all of <paramref name="source"/>; anything else is malformed.</summary>
    public static CidPrefix Decode(ReadOnlySpan<byte> source)
    {
        if (source.Length > BitswapLimits.MaxPrefixLength)
        {
            throw new LimitExceededException(Format, "CID prefix length", BitswapLimits.MaxPrefixLength, source.Length);
        }
        var offset = 0;
        var version = ReadVarint(source, ref offset, "version");
        var codec = ReadVarint(source, ref offset, "codec");
        var hashCode = ReadVarint(source, ref offset, "hash function");
        var digestLength = ReadVarint(source, ref offset, "digest length");
        if (offset != source.Length)
        {
            throw new MalformedDataException(Format, $"CID prefix has {source.Length - offset} trailing bytes");
        }
        if (version > 1)
        {
            throw new MalformedDataException(Format, $"CID prefix names version {version}");
        }
        if (digestLength is 0 or > Multihash.MaxDigestLength)
        {
            throw new MalformedDataException(Format, $"CID prefix digest length {digestLength} is outside 1..{Multihash.MaxDigestLength}");
        }
        if (MultihashAlgorithm.TryGet(hashCode, out var algorithm) && algorithm.DigestLength >= 0 && digestLength > (ulong)algorithm.DigestLength)
        {
            throw new MalformedDataException(Format, $"CID prefix asks {digestLength} bytes of {algorithm.Name}, which has {algorithm.DigestLength}");
        }
        var prefix = new CidPrefix((int)version, codec, hashCode, (int)digestLength);
        if (version == 0 && prefix != V0)
        {
            throw new MalformedDataException(Format, "a CIDv0 prefix must be dag-pb with a 32-byte sha2-256 digest");
        }
        return prefix;
    }

    /// <summary>
    /// The CID of <paramref name="data"/> under this prefix. Throws <see cref="VerificationException"/>
    /// when the hash function is one we cannot compute (or identity, which is never exchanged).
    /// </summary>
    public Cid Sum(ReadOnlySpan<byte> data)
    {
        if (HashCode == Multicodec.Identity || !MultihashAlgorithm.TryGet(HashCode, out var algorithm))
        {
            throw new VerificationException($"block hashed with {Multicodec.NameOf(HashCode)} cannot be verified here");
        }
        var digest = algorithm.ComputeDigest(data);
        var hash = Multihash.Create(HashCode, digest.AsSpan(0, DigestLength));
        return Version == 0 ? Cid.CreateV0(hash) : Cid.CreateV1(Codec, hash);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> source, ref int offset, string what)
    {
        try
        {
            if (!Varint.TryRead(source[offset..], out var value, out var consumed))
            {
                throw new MalformedDataException(Format, $"CID prefix {what} is truncated");
            }
            offset += consumed;
            return value;
        }
        catch (MalformedDataException e) when (e.Format != Format)
        {
            throw new MalformedDataException(Format, $"CID prefix {what}: {e.Message}", e);
        }
    }
}
