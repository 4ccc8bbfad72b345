using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Keys;

/// <summary>
/// A public key of a type this build parses but cannot verify with (RSA, secp256k1, ECDSA).
/// It still has a protobuf form and a peer ID, so names and peers using it can be recognised.
/// </summary>
public sealed class OpaquePublicKey : PublicKey
{
    public OpaquePublicKey(KeyType type, ReadOnlySpan<byte> data)
        : this(type, data.ToArray())
    {
    }

    internal OpaquePublicKey(KeyType type, byte[] data)
        : base(type, data)
    {
        if (type == KeyType.Ed25519)
        {
            throw new ArgumentException("use Ed25519PublicKey for Ed25519 keys", nameof(type));
        }
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type));
        }
    }

    public override bool CanVerify => false;

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        throw new VerificationException($"{Type} signatures are not supported; only Ed25519 keys can be verified");
}
