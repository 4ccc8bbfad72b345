using Overlay.Manifest.Streams;

namespace Overlay.Manifest.Tests.Streams;

public sealed class MerkleProofTests
{
    // Inclusion and consistency vectors of the same Certificate Transparency test set as
    // MerkleTreeTests.CtRoots (google/certificate-transparency, transparency-dev/merkle).
    public static TheoryData<int, int, string[]> CtInclusion => new()
    {
        { 0, 1, [] },
        { 0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
        { 1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
    };

    public static TheoryData<int, int, string[]> CtConsistency => new()
    {
        { 1, 1, [] },
        { 1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
    };

    [Theory]
    [MemberData(nameof(CtInclusion))]
    public void Inclusion_proofs_match_the_ct_vectors(int index, int size, string[] expected)
    {
        var leaves = MerkleTreeTests.CtLeafHashes;
        var proof = MerkleProof.Inclusion(leaves, index, size);
        Assert.Equal(expected, proof.Select(Convert.ToHexStringLower));
        Assert.True(MerkleProof.VerifyInclusion(leaves[index], index, size, proof, Convert.FromHexString(MerkleTreeTests.CtRoots[size])));
    }

    [Theory]
    [MemberData(nameof(CtConsistency))]
    public void Consistency_proofs_match_the_ct_vectors(int first, int second, string[] expected)
    {
        var proof = MerkleProof.Consistency(MerkleTreeTests.CtLeafHashes, first, second);
        Assert.Equal(expected, proof.Select(Convert.ToHexStringLower));
        Assert.True(MerkleProof.VerifyConsistency(
            first, Convert.FromHexString(MerkleTreeTests.CtRoots[first]),
            second, Convert.FromHexString(MerkleTreeTests.CtRoots[second]), proof));
    }

    [Fact]
    public void Every_inclusion_proof_verifies_and_any_flipped_byte_fails_for_sizes_1_to_300()
    {
        var tree = new Memo(MerkleTreeTests.RandomLeafHashes(300, seed: 11));
        var random = new Random(5);
        for (var size = 1; size <= 300; size++)
        {
            var root = tree.Hash(new LeafRange(0, size));
            for (var index = 0; index < size; index++)
            {
                var proof = MerkleProof.InclusionRanges(index, size).Select(tree.Hash).ToArray();
                var leaf = tree.Leaves[index];
                Assert.True(MerkleProof.VerifyInclusion(leaf, index, size, proof, root), $"leaf {index} of {size}");
                Assert.False(MerkleProof.VerifyInclusion(Flip(leaf, random), index, size, proof, root));
                Assert.False(MerkleProof.VerifyInclusion(leaf, index, size, proof, Flip(root, random)));
                if (proof.Length > 0)
                {
                    var bad = proof.ToArray();
                    var at = random.Next(bad.Length);
                    bad[at] = Flip(bad[at], random);
                    Assert.False(MerkleProof.VerifyInclusion(leaf, index, size, bad, root));
                    Assert.False(MerkleProof.VerifyInclusion(leaf, index, size, proof[..^1], root));
                }
                Assert.False(MerkleProof.VerifyInclusion(leaf, index, size, [.. proof, root], root));
                if (size > 1)
                {
                    Assert.False(MerkleProof.VerifyInclusion(leaf, (index + 1) % size, size, proof, root));
                }
            }
        }
    }

    [Fact]
    public void Every_consistency_proof_verifies_and_any_flipped_byte_fails_for_sizes_1_to_300()
    {
        var tree = new Memo(MerkleTreeTests.RandomLeafHashes(300, seed: 13));
        var random = new Random(9);
        for (var second = 1; second <= 300; second++)
        {
            var secondRoot = tree.Hash(new LeafRange(0, second));
            for (var first = 1; first <= second; first++)
            {
                var firstRoot = tree.Hash(new LeafRange(0, first));
                var proof = MerkleProof.ConsistencyRanges(first, second).Select(tree.Hash).ToArray();
                Assert.True(MerkleProof.VerifyConsistency(first, firstRoot, second, secondRoot, proof), $"{first} -> {second}");
                Assert.False(MerkleProof.VerifyConsistency(first, Flip(firstRoot, random), second, secondRoot, proof));
                Assert.False(MerkleProof.VerifyConsistency(first, firstRoot, second, Flip(secondRoot, random), proof));
                if (proof.Length > 0)
                {
                    var bad = proof.ToArray();
                    var at = random.Next(bad.Length);
                    bad[at] = Flip(bad[at], random);
                    Assert.False(MerkleProof.VerifyConsistency(first, firstRoot, second, secondRoot, bad));
                    Assert.False(MerkleProof.VerifyConsistency(first, firstRoot, second, secondRoot, proof[..^1]));
                }
                Assert.False(MerkleProof.VerifyConsistency(first, firstRoot, second, secondRoot, [.. proof, secondRoot]));
            }
        }
    }

    [Fact]
    public void List_based_proofs_equal_the_range_definitions()
    {
        var leaves = MerkleTreeTests.RandomLeafHashes(70, seed: 3);
        var memo = new Memo(leaves);
        for (var n = 1; n <= leaves.Length; n++)
        {
            for (var m = 0; m < n; m++)
            {
                Assert.Equal(MerkleProof.InclusionRanges(m, n).Select(memo.Hash), MerkleProof.Inclusion(leaves, m, n));
                Assert.Equal(MerkleProof.ConsistencyRanges(m + 1, n).Select(memo.Hash), MerkleProof.Consistency(leaves, m + 1, n));
            }
        }
    }

    [Fact]
    public void Structural_lies_are_refused_not_thrown()
    {
        var leaves = MerkleTreeTests.CtLeafHashes;
        var root8 = Convert.FromHexString(MerkleTreeTests.CtRoots[8]);
        var root6 = Convert.FromHexString(MerkleTreeTests.CtRoots[6]);
        var inclusion = MerkleProof.Inclusion(leaves, 5, 8);
        Assert.False(MerkleProof.VerifyInclusion(leaves[5], 8, 8, inclusion, root8));
        Assert.False(MerkleProof.VerifyInclusion(leaves[5], -1, 8, inclusion, root8));
        Assert.False(MerkleProof.VerifyInclusion(leaves[5], 5, 8, [new byte[31], .. inclusion.Skip(1)], root8));
        Assert.False(MerkleProof.VerifyInclusion(leaves[5].AsSpan(1), 5, 8, inclusion, root8));
        var consistency = MerkleProof.Consistency(leaves, 6, 8);
        Assert.False(MerkleProof.VerifyConsistency(8, root8, 6, root6, consistency));
        Assert.False(MerkleProof.VerifyConsistency(0, root6, 8, root8, consistency));
        Assert.False(MerkleProof.VerifyConsistency(6, root6, 8, root8, []));
        Assert.False(MerkleProof.VerifyConsistency(8, root8, 8, root8, [root8]));
        Assert.False(MerkleProof.VerifyConsistency(8, root6, 8, root8, []));
        Assert.True(MerkleProof.VerifyConsistency(8, root8, 8, root8, []));
    }

    [Fact]
    public void Generation_rejects_impossible_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProof.InclusionRanges(8, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProof.ConsistencyRanges(0, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProof.ConsistencyRanges(9, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProof.Inclusion(MerkleTreeTests.CtLeafHashes, 0, 9));
    }

    private static byte[] Flip(byte[] hash, Random random)
    {
        var copy = hash.ToArray();
        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    /// <summary>MTH of ranges of one leaf list, memoised so the all-pairs tests stay fast.</summary>
    private sealed class Memo(byte[][] leaves)
    {
        private readonly Dictionary<LeafRange, byte[]> _cache = [];

        public byte[][] Leaves => leaves;

        public byte[] Hash(LeafRange range)
        {
            if (range.Count == 1)
            {
                return leaves[range.Start];
            }
            if (!_cache.TryGetValue(range, out var hash))
            {
                var k = MerkleTree.LargestPowerOfTwoBelow(range.Count);
                hash = MerkleTree.HashChildren(Hash(new LeafRange(range.Start, range.Start + k)), Hash(new LeafRange(range.Start + k, range.End)));
                _cache[range] = hash;
            }
            return hash;
        }
    }
}
