using System.Security.Cryptography;

namespace Overlay.Manifest.Multiformats;

/// <summary>
/// One row of the hash table: its multicodec code, digest length and how to compute it.
/// The table is the only place a new function (BLAKE3) has to be added.
/// </summary>
public sealed class MultihashAlgorithm
{
    private readonly Func<ReadOnlySpan<byte>, byte[]>? _compute;

    private MultihashAlgorithm(ulong code, string name, int digestLength, Func<ReadOnlySpan<byte>, byte[]>? compute)
    {
        Code = code;
        Name = name;
        DigestLength = digestLength;
        _compute = compute;
    }

    public ulong Code { get; }
    public string Name { get; }

    /// <summary>Fixed digest length in bytes, or -1 when the length varies (identity).</summary>
    public int DigestLength { get; }

    public static MultihashAlgorithm Identity { get; } = new(Multicodec.Identity, "identity", -1, data => data.ToArray());
    public static MultihashAlgorithm Sha2_256 { get; } = new(Multicodec.Sha2_256, "sha2-256", 32, data => SHA256.HashData(data));
    public static MultihashAlgorithm Sha2_512 { get; } = new(Multicodec.Sha2_512, "sha2-512", 64, data => SHA512.HashData(data));

    private static readonly Dictionary<ulong, MultihashAlgorithm> ByCode = new()
    {
        [Identity.Code] = Identity,
        [Sha2_256.Code] = Sha2_256,
        [Sha2_512.Code] = Sha2_512,
    };

    public static bool TryGet(ulong code, out MultihashAlgorithm algorithm) => ByCode.TryGetValue(code, out algorithm!);

    public byte[] ComputeDigest(ReadOnlySpan<byte> data)
    {
        if (_compute is null)
        {
            throw new NotSupportedException($"hash function {Name} cannot be computed here");
        }
        return _compute(data);
    }
}
