// Spec: https://github.com/multiformats/multihash (varint code, varint digest length, digest).
using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Multiformats;

/// <summary>An immutable multihash; equality is by bytes.</summary>
public sealed class Multihash : IEquatable<Multihash>
{
    /// <summary>Longest digest we accept; sha2-512 is 64 and inline identity keys stay well below.</summary>
    public const int MaxDigestLength = 128;

    private const string FormatName = "multihash";

    private readonly byte[] _bytes;
    private readonly int _digestOffset;

    private Multihash(byte[] bytes, ulong code, int digestOffset)
    {
        _bytes = bytes;
        Code = code;
        _digestOffset = digestOffset;
    }

    public ulong Code { get; }

    public int DigestLength => _bytes.Length - _digestOffset;

    public ReadOnlySpan<byte> Digest => _bytes.AsSpan(_digestOffset);

    /// <summary>The whole multihash: code, length, digest.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    public byte[] ToArray() => (byte[])_bytes.Clone();

    public static Multihash Compute(ReadOnlySpan<byte> data, MultihashAlgorithm algorithm) =>
        Create(algorithm.Code, algorithm.ComputeDigest(data));

    /// <summary>Computes a digest truncated to <paramref name="digestLength"/> bytes (allowed by the spec, weaker).</summary>
    public static Multihash Compute(ReadOnlySpan<byte> data, MultihashAlgorithm algorithm, int digestLength) =>
        Create(algorithm.Code, algorithm.ComputeDigest(data).AsSpan(0, digestLength));

    /// <summary>True when the digest is shorter than the function's full output.</summary>
    public bool IsTruncated => MultihashAlgorithm.TryGet(Code, out var algorithm) && algorithm.DigestLength > DigestLength;

    public static Multihash Sha2_256(ReadOnlySpan<byte> data) => Compute(data, MultihashAlgorithm.Sha2_256);

    public static Multihash Create(ulong code, ReadOnlySpan<byte> digest)
    {
        if (digest.Length > MaxDigestLength)
        {
            throw new ArgumentException($"digest of {digest.Length} bytes is longer than {MaxDigestLength}", nameof(digest));
        }
        if (MultihashAlgorithm.TryGet(code, out var algorithm) && algorithm.DigestLength >= 0 && digest.Length > algorithm.DigestLength)
        {
            throw new ArgumentException($"{algorithm.Name} digests are at most {algorithm.DigestLength} bytes, not {digest.Length}", nameof(digest));
        }
        var codeLength = Varint.EncodedLength(code);
        var lengthLength = Varint.EncodedLength((ulong)digest.Length);
        var bytes = new byte[codeLength + lengthLength + digest.Length];
        Varint.Write(code, bytes);
        Varint.Write((ulong)digest.Length, bytes.AsSpan(codeLength));
        digest.CopyTo(bytes.AsSpan(codeLength + lengthLength));
        return new Multihash(bytes, code, codeLength + lengthLength);
    }

    /// <summary>Decodes a multihash that must span all of <paramref name="source"/>.</summary>
    public static Multihash Decode(ReadOnlySpan<byte> source)
    {
        var multihash = DecodeFirst(source, out var consumed);
        if (consumed != source.Length)
        {
            throw new MalformedDataException(FormatName, $"{source.Length - consumed} trailing bytes");
        }
        return multihash;
    }

    /// <summary>Decodes the multihash at the start of <paramref name="source"/>; the rest is left to the caller.</summary>
    public static Multihash DecodeFirst(ReadOnlySpan<byte> source, out int consumed)
    {
        var code = Varint.Read(source, out var codeLength);
        var digestLength = Varint.ReadBounded(source[codeLength..], MaxDigestLength, "digest length", out var lengthLength);
        var header = codeLength + lengthLength;
        if (source.Length - header < digestLength)
        {
            throw new MalformedDataException(FormatName, $"digest truncated: {digestLength} bytes declared, {source.Length - header} present");
        }
        // The multihash spec allows truncated digests, so only longer-than-full is malformed;
        // callers that need full strength check IsTruncated.
        if (MultihashAlgorithm.TryGet(code, out var algorithm) && algorithm.DigestLength >= 0 && digestLength > algorithm.DigestLength)
        {
            throw new MalformedDataException(FormatName, $"{algorithm.Name} digest is at most {algorithm.DigestLength} bytes, not {digestLength}");
        }
        consumed = header + digestLength;
        return new Multihash(source[..consumed].ToArray(), code, header);
    }

    /// <summary>
    /// True when <paramref name="data"/> hashes to this multihash. Identity compares the inline
    /// bytes whole: it has no full length to truncate to, so a prefix must not match.
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> data)
    {
        if (Code == Multicodec.Identity)
        {
            return data.SequenceEqual(Digest);
        }
        if (!MultihashAlgorithm.TryGet(Code, out var algorithm))
        {
            throw new NotSupportedException($"hash function {Multicodec.NameOf(Code)} is not supported");
        }
        return algorithm.ComputeDigest(data).AsSpan(0, DigestLength).SequenceEqual(Digest);
    }

    public bool Equals(Multihash? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as Multihash);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public override string ToString() => $"{Multicodec.NameOf(Code)}:{Convert.ToHexStringLower(Digest)}";
}
