using System.Numerics;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;

namespace Overlay.Manifest.Tests.Keys;

public sealed class Ed25519KeyTests
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");

    [Fact]
    public void GeneratedKeysDifferAndSignVerifiably()
    {
        var a = Ed25519PrivateKey.Generate();
        var b = Ed25519PrivateKey.Generate();
        Assert.NotEqual(a.ExportSeed(), b.ExportSeed());
        Assert.NotEqual(a.PublicKey, b.PublicKey);

        var message = "hello overlay"u8.ToArray();
        var signature = a.Sign(message);
        Assert.Equal(64, signature.Length);
        Assert.True(a.PublicKey.Verify(message, signature));
        Assert.False(b.PublicKey.Verify(message, signature));
        Assert.False(a.PublicKey.Verify(message, signature[..63]));
        Assert.False(a.PublicKey.Verify(message, [.. signature, 0]));
    }

    [Fact]
    public void SeedRoundTripsAndKeysCompareByBytes()
    {
        var key = Ed25519PrivateKey.Generate();
        var again = Ed25519PrivateKey.FromSeed(key.ExportSeed());
        Assert.Equal(key.PublicKey, again.PublicKey);
        Assert.True(key.PublicKey == again.PublicKey);
        Assert.Equal(key.PublicKey.GetHashCode(), again.PublicKey.GetHashCode());
        Assert.Equal(key.PublicKey, Ed25519PublicKey.FromBytes(key.PublicKey.Bytes));
        Assert.Throws<ArgumentException>(() => Ed25519PrivateKey.FromSeed(new byte[31]));
        Assert.Throws<MalformedDataException>(() => Ed25519PublicKey.FromBytes(new byte[33]));
    }

    [Fact]
    public void NonCanonicalSIsRejected()
    {
        var key = Ed25519PrivateKey.Generate();
        var message = new byte[] { 1, 2, 3 };
        var signature = key.Sign(message);
        var s = new BigInteger(signature.AsSpan(32), isUnsigned: true);
        var malleated = (byte[])signature.Clone();
        Array.Clear(malleated, 32, 32);
        (s + L).ToByteArray(isUnsigned: true).CopyTo(malleated, 32);
        Assert.True(key.PublicKey.Verify(message, signature));
        Assert.False(key.PublicKey.Verify(message, malleated));
    }

    [Fact]
    public void SmallOrderYCoordinatesAreThoseOfTheCurve()
    {
        // d = -121665/121666 mod p (RFC 8032 §5.1).
        var d = Mod(-121665 * BigInteger.ModPow(121666, P - 2, P));
        var ys = Ed25519Verifier.SmallOrderYCoordinates.Select(b => new BigInteger(b, isUnsigned: true)).ToArray();
        Assert.Equal(BigInteger.Zero, ys[0]);
        Assert.Equal(BigInteger.One, ys[1]);
        Assert.Equal(P - 1, ys[2]);
        foreach (var y8 in ys[3..])
        {
            // Order-8 points double to the order-4 points (y = 0), which needs y² = -x², i.e. d·y⁴ + 2·y² − 1 = 0.
            var y2 = y8 * y8 % P;
            Assert.Equal(BigInteger.Zero, Mod(d * y2 * y2 + 2 * y2 - 1));
        }
        Assert.Equal(P, ys[3] + ys[4]);
    }

    [Fact]
    public void SmallOrderKeyCannotVerifyTheTrivialForgery()
    {
        var identity = new byte[32];
        identity[0] = 1;
        var forged = new byte[64];
        forged[0] = 1; // R = identity point, S = 0: satisfies [S]B = R + [k]A for A = identity.
        var key = Ed25519PublicKey.FromBytes(identity);
        Assert.False(key.Verify("any message"u8, forged));
        foreach (var y in Ed25519Verifier.SmallOrderYCoordinates)
        {
            Assert.False(Ed25519PublicKey.FromBytes(y).Verify("m"u8, forged));
        }
    }

    private static BigInteger Mod(BigInteger value) => (value % P + P) % P;
}
