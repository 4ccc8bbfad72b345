// Spec: https://www.rfc-editor.org/rfc/rfc8032#section-5.1.7 (verify), checked against Wycheproof ed25519_test.json
using System.Buffers;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Overlay.Manifest.Keys;

/// <summary>
/// RFC 8032 verification with the strict decoding rules Wycheproof tests. BouncyCastle 1.8.10
/// already rejects S ≥ L, non-canonical A and R (y ≥ p, and x = 0 with the sign bit set) and
/// compares the re-encoded R byte for byte; every Wycheproof case passes with it as is. What it
/// lacks is a small-order key check: a key of order ≤ 8 verifies forged signatures such as
/// (R = identity, S = 0) for many messages, so nothing "signed" by it can be attributed to
/// anyone. No generated key is ever of small order, so rejecting them costs no interop.
/// </summary>
internal static class Ed25519Verifier
{
    public const int SignatureLength = 64;

    // Canonical y coordinates (little-endian) of the eight small-order points of edwards25519:
    // y = 0 (order 4), 1 (identity), p - 1 (order 2), and ±y8 of the order-8 points, where y8
    // solves d·y⁴ + 2·y² − 1 = 0 (mod p); the tests re-derive these from the curve equation.
    private static readonly byte[][] SmallOrderY =
    [
        Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Convert.FromHexString("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
        Convert.FromHexString("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    ];

    internal static IReadOnlyList<byte[]> SmallOrderYCoordinates => SmallOrderY;

    public static bool IsSmallOrder(ReadOnlySpan<byte> publicKey)
    {
        Span<byte> y = stackalloc byte[32];
        publicKey.CopyTo(y);
        y[31] &= 0x7F;
        foreach (var candidate in SmallOrderY)
        {
            if (y.SequenceEqual(candidate))
            {
                return true;
            }
        }
        return false;
    }

    public static bool Verify(byte[] publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength || publicKey.Length != Ed25519PublicKey.Length || IsSmallOrder(publicKey))
        {
            return false;
        }
        var sig = signature.ToArray();
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(message.Length, 1));
        try
        {
            message.CopyTo(buffer);
            return Ed25519.Verify(sig, 0, publicKey, 0, buffer, 0, message.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
