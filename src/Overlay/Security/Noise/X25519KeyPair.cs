// Curve25519 Diffie-Hellman (RFC 7748 §5) through BouncyCastle's Rfc7748 implementation.
using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Overlay.Security.Noise;

/// <summary>An X25519 key pair: the Noise static and ephemeral keys (never the libp2p identity).</summary>
internal sealed class X25519KeyPair
{
    public const int KeyLength = 32;

    private readonly byte[] _private;

    private X25519KeyPair(byte[] privateKey)
    {
        _private = privateKey;
        PublicKey = new byte[KeyLength];
        X25519.ScalarMultBase(_private, 0, PublicKey, 0);
    }

    public byte[] PublicKey { get; }

    public static X25519KeyPair Generate() => new(RandomNumberGenerator.GetBytes(KeyLength));

    public static X25519KeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != KeyLength)
        {
            throw new ArgumentException("X25519 private keys are 32 bytes", nameof(privateKey));
        }
        return new X25519KeyPair(privateKey.ToArray());
    }

    /// <summary>DH(self, remote). An all-zero result means a low-order remote point (RFC 7748 §6.1) and is refused.</summary>
    public byte[] Agree(ReadOnlySpan<byte> remotePublicKey)
    {
        if (remotePublicKey.Length != KeyLength)
        {
            throw new NoiseException($"remote X25519 key is {remotePublicKey.Length} bytes, not 32");
        }
        var shared = new byte[KeyLength];
        if (!X25519.CalculateAgreement(_private, 0, remotePublicKey.ToArray(), 0, shared, 0))
        {
            throw new NoiseException("remote X25519 key is a low-order point");
        }
        return shared;
    }
}
