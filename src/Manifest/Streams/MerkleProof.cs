// Spec: RFC 9162 §2.1.3 (inclusion proofs) and §2.1.4 (consistency proofs); our use: specs/manifest.md §5.
namespace Overlay.Manifest.Streams;

/// <summary>
/// Generation and verification of RFC 9162 inclusion and consistency proofs. Generation follows
/// the recursive definitions PATH and SUBPROOF (§2.1.3.1, §2.1.4.1) as ranges of leaves whose
/// Merkle Tree Hashes form the proof; verification follows §2.1.3.2 and §2.1.4.2 step by step.
/// Verifiers return false on any malformed input (wrong hash lengths, sizes out of range): every
/// byte of a proof comes from the network.
/// </summary>
public static class MerkleProof
{
    /// <summary>The ranges whose hashes form PATH(index, D[0:size]), in proof order (leaf side first).</summary>
    public static IReadOnlyList<LeafRange> InclusionRanges(long index, long size)
    {
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"leaf {index} is outside a tree of {size}");
        }
        var ranges = new List<LeafRange>();
        long start = 0, end = size;
        while (end - start > 1)
        {
            var k = MerkleTree.LargestPowerOfTwoBelow(end - start);
            if (index < start + k)
            {
                ranges.Add(new LeafRange(start + k, end));
                end = start + k;
            }
            else
            {
                ranges.Add(new LeafRange(start, start + k));
                start += k;
            }
        }
        // The recursion appends each sibling after the deeper path, so the deepest comes first.
        ranges.Reverse();
        return ranges;
    }

    /// <summary>
    /// The ranges whose hashes form PROOF(first, D[0:second]) = SUBPROOF(first, D[0:second], true),
    /// in proof order. Equal sizes give the empty proof.
    /// </summary>
    public static IReadOnlyList<LeafRange> ConsistencyRanges(long first, long second)
    {
        if (first < 1 || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first), $"no consistency proof from {first} to {second}");
        }
        var ranges = new List<LeafRange>();
        long start = 0, end = second;
        var complete = true;
        while (first != end)
        {
            var k = MerkleTree.LargestPowerOfTwoBelow(end - start);
            if (first - start <= k)
            {
                ranges.Add(new LeafRange(start + k, end));
                end = start + k;
            }
            else
            {
                ranges.Add(new LeafRange(start, start + k));
                start += k;
                complete = false;
            }
        }
        if (!complete)
        {
            ranges.Add(new LeafRange(start, end));
        }
        ranges.Reverse();
        return ranges;
    }

    /// <summary>PATH(index, D[0:size]) computed from the leaf hashes of at least <paramref name="size"/> leaves.</summary>
    public static IReadOnlyList<byte[]> Inclusion(IReadOnlyList<byte[]> leafHashes, long index, long size) =>
        HashRanges(leafHashes, size, InclusionRanges(index, size));

    /// <summary>PROOF(first, D[0:second]) computed from the leaf hashes of at least <paramref name="second"/> leaves.</summary>
    public static IReadOnlyList<byte[]> Consistency(IReadOnlyList<byte[]> leafHashes, long first, long second) =>
        HashRanges(leafHashes, second, ConsistencyRanges(first, second));

    /// <summary>RFC 9162 §2.1.3.2: does <paramref name="path"/> lead from the leaf hash at <paramref name="index"/> to <paramref name="root"/>?</summary>
    public static bool VerifyInclusion(ReadOnlySpan<byte> leafHash, long index, long size, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (leafHash.Length != MerkleTree.HashLength || root.Length != MerkleTree.HashLength || !AllHashes(path))
        {
            return false;
        }
        // 1. leaf_index >= tree_size fails.
        if (index < 0 || index >= size)
        {
            return false;
        }
        // 2. fn = leaf_index, sn = tree_size - 1.
        long fn = index, sn = size - 1;
        // 3. r = hash.
        var r = leafHash.ToArray();
        // 4. for each p in inclusion_path:
        foreach (var p in path)
        {
            // a. sn = 0 fails.
            if (sn == 0)
            {
                return false;
            }
            // b. LSB(fn) set or fn == sn: r = HASH(0x01 || p || r), then shift until LSB(fn) or fn = 0.
            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleTree.HashChildren(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleTree.HashChildren(r, p);
            }
            // c. shift once.
            fn >>= 1;
            sn >>= 1;
        }
        // 5. sn must be 0 and r the root.
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>
    /// RFC 9162 §2.1.4.2 for 0 &lt; first &lt; second. For first == second the proof must be empty and
    /// the roots equal (the RFC defines no proof for that case; the empty one is the identity).
    /// </summary>
    public static bool VerifyConsistency(long first, ReadOnlySpan<byte> firstRoot, long second, ReadOnlySpan<byte> secondRoot, IReadOnlyList<byte[]> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (firstRoot.Length != MerkleTree.HashLength || secondRoot.Length != MerkleTree.HashLength || !AllHashes(path))
        {
            return false;
        }
        if (first < 1 || first > second)
        {
            return false;
        }
        if (first == second)
        {
            return path.Count == 0 && firstRoot.SequenceEqual(secondRoot);
        }
        // 1. An empty consistency_path fails.
        if (path.Count == 0)
        {
            return false;
        }
        // 2. If first is an exact power of 2, prepend first_hash.
        IReadOnlyList<byte[]> nodes = (first & (first - 1)) == 0 ? [firstRoot.ToArray(), .. path] : path;
        // 3. fn = first - 1, sn = second - 1.
        long fn = first - 1, sn = second - 1;
        // 4. While LSB(fn) is set, shift both.
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        // 5. fr = sr = first value.
        var fr = nodes[0];
        var sr = nodes[0];
        // 6. For each subsequent value c:
        for (var i = 1; i < nodes.Count; i++)
        {
            var c = nodes[i];
            // a. sn = 0 fails.
            if (sn == 0)
            {
                return false;
            }
            // b. LSB(fn) set or fn == sn: both roots take c on the left.
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleTree.HashChildren(c, fr);
                sr = MerkleTree.HashChildren(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleTree.HashChildren(sr, c);
            }
            // c. shift once.
            fn >>= 1;
            sn >>= 1;
        }
        // 7. fr = first_hash, sr = second_hash, sn = 0.
        return sn == 0 && fr.AsSpan().SequenceEqual(firstRoot) && sr.AsSpan().SequenceEqual(secondRoot);
    }

    private static bool AllHashes(IReadOnlyList<byte[]> path)
    {
        foreach (var p in path)
        {
            if (p is null || p.Length != MerkleTree.HashLength)
            {
                return false;
            }
        }
        return true;
    }

    private static byte[][] HashRanges(IReadOnlyList<byte[]> leafHashes, long size, IReadOnlyList<LeafRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        if (size > leafHashes.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"a tree of {size} needs that many leaf hashes, got {leafHashes.Count}");
        }
        return ranges.Select(r => MerkleTree.RootOf(leafHashes, (int)r.Start, (int)r.End)).ToArray();
    }
}
