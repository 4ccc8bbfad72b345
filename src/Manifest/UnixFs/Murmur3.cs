// Algorithm: MurmurHash3_x64_128 (Austin Appleby, public domain); multicodec murmur3-x64-64 = 0x22.
using System.Buffers.Binary;
using System.Numerics;

namespace Overlay.Manifest.UnixFs;

/// <summary>
/// The HAMT hash of UnixFS sharded directories: the first 64-bit half (h1) of
/// MurmurHash3_x64_128 with seed 0, which is what go-unixfs's <c>murmur3.Sum64</c> and
/// Helia's <c>murmur3128(...).slice(0, 8)</c> both take.
/// </summary>
internal static class Murmur3
{
    /// <summary>The multihash code UnixFS records in <c>hashType</c>.</summary>
    public const ulong HashType = 0x22;

    private const ulong C1 = 0x87c37b91114253d5;
    private const ulong C2 = 0x4cf5ad432745937f;

    public static ulong Hash64(ReadOnlySpan<byte> data)
    {
        ulong h1 = 0;
        ulong h2 = 0;
        var blocks = data.Length / 16;
        for (var i = 0; i < blocks; i++)
        {
            var k1 = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i * 16, 8));
            var k2 = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i * 16 + 8, 8));
            h1 ^= MixK1(k1);
            h1 = BitOperations.RotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= MixK2(k2);
            h2 = BitOperations.RotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        var tail = data[(blocks * 16)..];
        ulong t1 = 0;
        ulong t2 = 0;
        for (var i = tail.Length - 1; i >= 8; i--)
        {
            t2 ^= (ulong)tail[i] << ((i - 8) * 8);
        }
        for (var i = Math.Min(tail.Length, 8) - 1; i >= 0; i--)
        {
            t1 ^= (ulong)tail[i] << (i * 8);
        }
        if (tail.Length > 8)
        {
            h2 ^= MixK2(t2);
        }
        if (tail.Length > 0)
        {
            h1 ^= MixK1(t1);
        }
        h1 ^= (ulong)data.Length;
        h2 ^= (ulong)data.Length;
        h1 += h2;
        h2 += h1;
        h1 = Fmix(h1);
        h2 = Fmix(h2);
        h1 += h2;
        return h1;
    }

    private static ulong MixK1(ulong k) => BitOperations.RotateLeft(k * C1, 31) * C2;

    private static ulong MixK2(ulong k) => BitOperations.RotateLeft(k * C2, 33) * C1;

    private static ulong Fmix(ulong k)
    {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccd;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53;
        k ^= k >> 33;
        return k;
    }
}
