// Spec: https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md#ed25519 (raw 32-byte key in Data)
using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Keys;

/// <summary>An Ed25519 public key (32 bytes, RFC 8032 encoding). Equality is by bytes.</summary>
public sealed class Ed25519PublicKey : PublicKey
{
    public const int Length = 32;

    internal Ed25519PublicKey(ReadOnlySpan<byte> bytes)
        : base(KeyType.Ed25519, bytes.ToArray())
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"Ed25519 public keys are {Length} bytes", nameof(bytes));
        }
    }

    /// <summary>Wraps 32 raw key bytes received from elsewhere; other lengths are malformed.</summary>
    public static Ed25519PublicKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new MalformedDataException("ed25519", $"public key must be {Length} bytes, not {bytes.Length}");
        }
        return new Ed25519PublicKey(bytes);
    }

    /// <summary>The 32 raw key bytes.</summary>
    public ReadOnlySpan<byte> Bytes => Data;

    public byte[] ToArray() => Data.ToArray();

    public override bool CanVerify => true;

    /// <summary>
    /// RFC 8032 verification, strict: the signature must be exactly 64 bytes with S &lt; L and a
    /// canonical R, and the key must be canonical and not of small order.
    /// </summary>
    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        Ed25519Verifier.Verify(Data.ToArray(), data, signature);
}
