using System.Security.Cryptography;
using Overlay.Manifest.Streams;

namespace Overlay.Manifest.Tests.Streams;

public sealed class MerkleTreeTests
{
    // The Certificate Transparency reference test set (RFC 6962 / RFC 9162 hashing): the eight
    // entries and MTH(D[n]) for n = 0..8, as published with google/certificate-transparency's
    // merkle_tree_test and transparency-dev/merkle's testdata. Facts, hard-coded so a change in
    // our code cannot change what "correct" means.
    internal static readonly byte[][] CtEntries =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        Convert.FromHexString("5051525354555657"),
        Convert.FromHexString("606162636465666768696a6b6c6d6e6f"),
    ];

    internal static readonly string[] CtRoots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    internal static byte[][] CtLeafHashes => CtEntries.Select(e => MerkleTree.HashLeaf(e)).ToArray();

    [Fact]
    public void Roots_match_the_certificate_transparency_vectors()
    {
        var hashes = CtLeafHashes;
        for (var n = 0; n <= 8; n++)
        {
            Assert.Equal(CtRoots[n], Convert.ToHexStringLower(MerkleTree.RootOf(hashes, 0, n)));
        }
    }

    [Fact]
    public void Incremental_append_reports_every_prefix_root()
    {
        var tree = new MerkleTree();
        Assert.Equal(CtRoots[0], Convert.ToHexStringLower(tree.Root));
        foreach (var (hash, n) in CtLeafHashes.Select((h, i) => (h, i + 1)))
        {
            tree.Append(hash);
            Assert.Equal(n, tree.Size);
            Assert.Equal(CtRoots[n], Convert.ToHexStringLower(tree.Root));
        }
    }

    [Fact]
    public void Incremental_root_equals_the_recursive_definition_for_sizes_1_to_300()
    {
        var leaves = RandomLeafHashes(300, seed: 7);
        var tree = new MerkleTree();
        for (var n = 1; n <= leaves.Length; n++)
        {
            tree.Append(leaves[n - 1]);
            Assert.Equal(Reference(leaves.AsSpan(0, n).ToArray()), tree.Root);
        }
    }

    [Fact]
    public void Leaf_and_node_hashes_are_domain_separated()
    {
        Assert.Equal(SHA256.HashData([0x00]), MerkleTree.HashLeaf([]));
        var l = MerkleTree.HashLeaf([1]);
        var r = MerkleTree.HashLeaf([2]);
        Assert.Equal(SHA256.HashData([0x01, .. l, .. r]), MerkleTree.HashChildren(l, r));
        Assert.NotEqual(MerkleTree.HashLeaf([.. l, .. r]), MerkleTree.HashChildren(l, r));
    }

    [Fact]
    public void Largest_power_of_two_below_is_strictly_below()
    {
        for (long n = 2; n < 5000; n++)
        {
            var k = MerkleTree.LargestPowerOfTwoBelow(n);
            Assert.True(k < n && 2 * k >= n && (k & (k - 1)) == 0, $"n={n} k={k}");
        }
        Assert.Equal(1L << 52, MerkleTree.LargestPowerOfTwoBelow((1L << 53) - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.LargestPowerOfTwoBelow(1));
    }

    [Fact]
    public void Append_rejects_a_hash_of_the_wrong_length() =>
        Assert.Throws<ArgumentException>(() => new MerkleTree().Append(new byte[31]));

    internal static byte[][] RandomLeafHashes(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var data = new byte[random.Next(0, 40)];
            random.NextBytes(data);
            return MerkleTree.HashLeaf(data);
        }).ToArray();
    }

    // RFC 9162 §2.1.1 written as the recursion, independent of the incremental code.
    internal static byte[] Reference(byte[][] leafHashes)
    {
        if (leafHashes.Length == 1)
        {
            return leafHashes[0];
        }
        var k = 1;
        while (k * 2 < leafHashes.Length)
        {
            k *= 2;
        }
        return SHA256.HashData([0x01, .. Reference(leafHashes[..k]), .. Reference(leafHashes[k..])]);
    }
}
