// Spec: https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md#ed25519 (private Data = seed || public key)
using System.Buffers;
using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Keys;

/// <summary>An Ed25519 signing key held as its 32-byte RFC 8032 seed.</summary>
public sealed class Ed25519PrivateKey
{
    public const int SeedLength = 32;

    private readonly byte[] _seed;

    private Ed25519PrivateKey(byte[] seed)
    {
        _seed = seed;
        var pub = new byte[Ed25519PublicKey.Length];
        Ed25519.GeneratePublicKey(_seed, 0, pub, 0);
        PublicKey = new Ed25519PublicKey(pub);
    }

    public Ed25519PublicKey PublicKey { get; }

    public PeerId PeerId => PublicKey.ToPeerId();

    /// <summary>A new key from the operating system's CSPRNG.</summary>
    public static Ed25519PrivateKey Generate()
    {
        var seed = new byte[SeedLength];
        RandomNumberGenerator.Fill(seed);
        return new Ed25519PrivateKey(seed);
    }

    public static Ed25519PrivateKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException($"Ed25519 seeds are {SeedLength} bytes, not {seed.Length}", nameof(seed));
        }
        return new Ed25519PrivateKey(seed.ToArray());
    }

    /// <summary>A copy of the 32-byte seed; whoever holds it can sign as this key.</summary>
    public byte[] ExportSeed() => (byte[])_seed.Clone();

    /// <summary>The 64-byte RFC 8032 signature of <paramref name="data"/> (deterministic).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var signature = new byte[Ed25519Verifier.SignatureLength];
        var pub = PublicKey.ToArray();
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(data.Length, 1));
        try
        {
            data.CopyTo(buffer);
            Ed25519.Sign(_seed, 0, pub, 0, buffer, 0, data.Length, signature, 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
        return signature;
    }

    /// <summary>The libp2p <c>PrivateKey</c> protobuf with the 64-byte <c>seed || public key</c> Data.</summary>
    public byte[] ToProtobuf()
    {
        Span<byte> data = stackalloc byte[SeedLength + Ed25519PublicKey.Length];
        _seed.CopyTo(data);
        PublicKey.Bytes.CopyTo(data[SeedLength..]);
        var encoded = KeyProtobuf.Encode(KeyType.Ed25519, data);
        data.Clear();
        return encoded;
    }

    /// <summary>
    /// Decodes a libp2p <c>PrivateKey</c> protobuf. Accepts the 64-byte <c>seed || public</c>
    /// form and the legacy 96-byte <c>seed || public || public</c> form; the public copies must
    /// equal the key derived from the seed. Other key types are rejected: we cannot sign with them.
    /// </summary>
    public static Ed25519PrivateKey FromProtobuf(ReadOnlySpan<byte> source)
    {
        var type = KeyProtobuf.Decode(source, "private key", out var data);
        if (type != KeyType.Ed25519)
        {
            throw new MalformedDataException(KeyProtobuf.FormatName, $"{type} private keys are not supported; only Ed25519");
        }
        const int pubLength = Ed25519PublicKey.Length;
        if (data.Length != SeedLength + pubLength && data.Length != SeedLength + 2 * pubLength)
        {
            throw new MalformedDataException(KeyProtobuf.FormatName, $"Ed25519 private key data must be 64 or 96 bytes, not {data.Length}");
        }
        var key = new Ed25519PrivateKey(data[..SeedLength].ToArray());
        for (var offset = SeedLength; offset < data.Length; offset += pubLength)
        {
            if (!data.Slice(offset, pubLength).SequenceEqual(key.PublicKey.Bytes))
            {
                throw new MalformedDataException(KeyProtobuf.FormatName, "Ed25519 private key data holds a public key that does not match its seed");
            }
        }
        return key;
    }

    public override string ToString() => $"Ed25519 private key for {PublicKey}";
}
