// Spec: RFC 9162 §2.1.1 (Merkle Tree Hash: leaf = HASH(0x00 || d), node = HASH(0x01 || L || R),
// split at the largest power of two smaller than n). Our use: specs/manifest.md §3.
using System.Security.Cryptography;

namespace Overlay.Manifest.Streams;

/// <summary>
/// The RFC 9162 Merkle Tree Hash with SHA-256. An instance is the incremental form: it keeps
/// only the roots of the perfect subtrees that make up the first <see cref="Size"/> leaves
/// (one per set bit of the size, so O(log n) hashes) and can append and report the root.
/// The static members compute roots over a list of leaf hashes.
/// </summary>
public sealed class MerkleTree
{
    /// <summary>SHA-256 output length; every leaf hash, node hash and proof entry has it.</summary>
    public const int HashLength = 32;

    private const int StackLeafLimit = 512;

    // _frontier[i] is the root of a perfect subtree of _heights[i] levels; heights strictly
    // decrease from left to right, mirroring the binary digits of Size.
    private readonly List<byte[]> _frontier = [];
    private readonly List<int> _heights = [];

    /// <summary>MTH({}) = SHA-256 of the empty string (RFC 9162 §2.1.1).</summary>
    public static byte[] EmptyRoot => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    public long Size { get; private set; }

    /// <summary>MTH of the leaves appended so far.</summary>
    public byte[] Root
    {
        get
        {
            if (_frontier.Count == 0)
            {
                return EmptyRoot;
            }
            // The RFC split puts the largest perfect subtree on the left, recursively, so
            // the root folds the frontier from the right.
            var root = _frontier[^1];
            for (var i = _frontier.Count - 2; i >= 0; i--)
            {
                root = HashChildren(_frontier[i], root);
            }
            return root;
        }
    }

    /// <summary>Appends a leaf given by its leaf hash (see <see cref="HashLeaf"/>).</summary>
    public void Append(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != HashLength)
        {
            throw new ArgumentException($"a leaf hash is {HashLength} bytes", nameof(leafHash));
        }
        var node = leafHash.ToArray();
        var height = 0;
        while (_heights.Count > 0 && _heights[^1] == height)
        {
            node = HashChildren(_frontier[^1], node);
            _frontier.RemoveAt(_frontier.Count - 1);
            _heights.RemoveAt(_heights.Count - 1);
            height++;
        }
        _frontier.Add(node);
        _heights.Add(height);
        Size++;
    }

    /// <summary>HASH(0x00 || leaf).</summary>
    public static byte[] HashLeaf(ReadOnlySpan<byte> leaf)
    {
        var length = leaf.Length + 1;
        Span<byte> buffer = length > StackLeafLimit ? new byte[length] : stackalloc byte[length];
        buffer[0] = 0x00;
        leaf.CopyTo(buffer[1..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>HASH(0x01 || left || right).</summary>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != HashLength || right.Length != HashLength)
        {
            throw new ArgumentException($"node hashes are {HashLength} bytes");
        }
        Span<byte> buffer = stackalloc byte[1 + 2 * HashLength];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashLength)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>The largest power of two strictly smaller than <paramref name="n"/> (n ≥ 2): RFC 9162's k.</summary>
    public static long LargestPowerOfTwoBelow(long n)
    {
        if (n < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(n), "a tree of fewer than two leaves has no split");
        }
        return 1L << (63 - (int)long.LeadingZeroCount(n - 1));
    }

    /// <summary>MTH over all of <paramref name="leafHashes"/>.</summary>
    public static byte[] RootOf(IReadOnlyList<byte[]> leafHashes) => RootOf(leafHashes, 0, leafHashes.Count);

    /// <summary>
    /// MTH(D[start:end]) given the leaf hashes. Also combines child subtree hashes into their
    /// parent's hash when the children are perfect subtrees of equal size except possibly the
    /// last, because the RFC split then falls on child boundaries (specs/manifest.md §4.3).
    /// </summary>
    public static byte[] RootOf(IReadOnlyList<byte[]> leafHashes, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        if (start < 0 || end < start || end > leafHashes.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(end), $"range [{start}, {end}) is outside {leafHashes.Count} leaves");
        }
        var tree = new MerkleTree();
        for (var i = start; i < end; i++)
        {
            tree.Append(leafHashes[i]);
        }
        return tree.Root;
    }
}
