// Spec: https://github.com/multiformats/cid (CIDv0 = bare sha2-256 multihash; CIDv1 = <1><codec><multihash>).
using System.Security.Cryptography;
using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Multiformats;

/// <summary>
/// An immutable content identifier. Equality and hashing are by the binary form, never by a
/// string, so the same CID printed in two bases is still one key.
/// </summary>
public sealed class Cid : IEquatable<Cid>, IComparable<Cid>
{
    /// <summary>Version varint, codec varint and a multihash with the longest digest we accept.</summary>
    public const int MaxBinaryLength = 2 * Varint.MaxLength + 2 * Varint.MaxLength + Multihash.MaxDigestLength;

    private const string FormatName = "cid";

    private readonly byte[] _bytes;

    private Cid(byte[] bytes, int version, ulong codec, Multihash hash)
    {
        _bytes = bytes;
        Version = version;
        Codec = codec;
        Hash = hash;
    }

    public int Version { get; }

    /// <summary>The content codec; CIDv0 is always dag-pb.</summary>
    public ulong Codec { get; }

    public Multihash Hash { get; }

    /// <summary>The binary form (what dag-cbor tag 42 and CAR files carry, minus their prefixes).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    public byte[] ToArray() => (byte[])_bytes.Clone();

    public static Cid CreateV1(ulong codec, Multihash hash)
    {
        var codecLength = Varint.EncodedLength(codec);
        var bytes = new byte[1 + codecLength + hash.Bytes.Length];
        bytes[0] = 1;
        Varint.Write(codec, bytes.AsSpan(1));
        hash.Bytes.CopyTo(bytes.AsSpan(1 + codecLength));
        return new Cid(bytes, 1, codec, hash);
    }

    public static Cid CreateV0(Multihash hash)
    {
        if (hash.Code != Multicodec.Sha2_256)
        {
            throw new ArgumentException("CIDv0 requires a sha2-256 multihash", nameof(hash));
        }
        return new Cid(hash.ToArray(), 0, Multicodec.DagPb, hash);
    }

    /// <summary>CIDv1 of <paramref name="data"/> under <paramref name="codec"/> with sha2-256.</summary>
    public static Cid Compute(ulong codec, ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(data, digest);
        return CreateV1(codec, Multihash.Create(Multicodec.Sha2_256, digest));
    }

    public Cid ToV1() => Version == 1 ? this : CreateV1(Codec, Hash);

    /// <summary>Decodes a binary CID that must span all of <paramref name="source"/>.</summary>
    public static Cid Decode(ReadOnlySpan<byte> source)
    {
        var cid = DecodeFirst(source, out var consumed);
        if (consumed != source.Length)
        {
            throw new MalformedDataException(FormatName, $"{source.Length - consumed} trailing bytes");
        }
        return cid;
    }

    /// <summary>Decodes the binary CID at the start of <paramref name="source"/>.</summary>
    public static Cid DecodeFirst(ReadOnlySpan<byte> source, out int consumed)
    {
        if (source.Length >= 2 && source[0] == 0x12 && source[1] == 0x20)
        {
            var v0Hash = Multihash.DecodeFirst(source, out consumed);
            return new Cid(source[..consumed].ToArray(), 0, Multicodec.DagPb, v0Hash);
        }
        var version = Varint.Read(source, out var versionLength);
        if (version != 1)
        {
            throw new MalformedDataException(FormatName, $"unsupported version {version}");
        }
        var codec = Varint.Read(source[versionLength..], out var codecLength);
        var prefix = versionLength + codecLength;
        var hash = Multihash.DecodeFirst(source[prefix..], out var hashLength);
        consumed = prefix + hashLength;
        return new Cid(source[..consumed].ToArray(), 1, codec, hash);
    }

    /// <summary>
    /// Parses a CID string: CIDv0 as bare base58btc ("Qm…"), CIDv1 as any supported multibase.
    /// </summary>
    public static Cid Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 46 && text.StartsWith("Qm", StringComparison.Ordinal))
        {
            var cid = Decode(Multibase.DecodeBare(text, MultibaseEncoding.Base58Btc));
            if (cid.Version != 0)
            {
                throw new MalformedDataException(FormatName, "a 'Qm' string must be a CIDv0");
            }
            return cid;
        }
        var bytes = Multibase.Decode(text);
        var parsed = Decode(bytes);
        if (parsed.Version == 0)
        {
            // A multibase-prefixed CIDv0 is not a valid string form (the CID spec reserves it).
            throw new MalformedDataException(FormatName, "CIDv0 must be written as bare base58btc");
        }
        return parsed;
    }

    public static bool TryParse(string? text, out Cid? cid)
    {
        cid = null;
        if (text is null)
        {
            return false;
        }
        try
        {
            cid = Parse(text);
            return true;
        }
        catch (MalformedDataException)
        {
            return false;
        }
    }

    /// <summary>CIDv0 as base58btc, CIDv1 as base32 lower: the forms kubo and Helia print.</summary>
    public override string ToString() =>
        Version == 0 ? Multibase.EncodeBare(_bytes, MultibaseEncoding.Base58Btc) : Multibase.Encode(_bytes, MultibaseEncoding.Base32);

    public string ToString(MultibaseEncoding encoding)
    {
        if (Version == 0)
        {
            throw new InvalidOperationException("CIDv0 has only the base58btc string form; convert with ToV1 first");
        }
        return Multibase.Encode(_bytes, encoding);
    }

    /// <summary>True when <paramref name="data"/> hashes to this CID's multihash.</summary>
    public bool Matches(ReadOnlySpan<byte> data) => Hash.Matches(data);

    public bool Equals(Cid? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as Cid);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public int CompareTo(Cid? other) => other is null ? 1 : _bytes.AsSpan().SequenceCompareTo(other._bytes);

    public static bool operator ==(Cid? left, Cid? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Cid? left, Cid? right) => !(left == right);
}
