using System.Text.RegularExpressions;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Streams;

/// <summary>
/// The test vectors of specs/bundle.md §9 and specs/manifest.md §8, asserted exactly. They were
/// also reproduced by an independent implementation (Python: the cryptography package's Ed25519
/// and a hand-written canonical CBOR encoder) before being written down. The spec tests check
/// that every value here appears verbatim in the spec texts, so spec and code cannot drift.
/// </summary>
public sealed partial class StreamVectorTests
{
    internal const string StreamIdHex = "00240801122079b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664";
    internal const string PeerIdText = "12D3KooWJ1TsijH7H5F74hfAD5XishQz3sxrmAtVY37GtNd9CqYf";
    internal const string StreamAddress = "k51qzi5uqu5dj7skeind43o1an76ns1q5g2bupqw6o1hmcccenbkvalzo2olt0";
    internal const string Bundle4Hex = "b1617601636475721a003d0900636d736e03637365710463736967584010e155304845e9539e682228981ac54ecfba91180e1367ccfd9dc2d45a0250aa382af701527b5066c69f8aab8a4c6c274fc3f365baa153ba373da4b7657cef0f6464697363f564647365710164696e697400646b696e64656d656469616472656e6464373230706473697a65181d647479706569766964656f2f6d703465636c61737363766f646673747265616d582600240801122079b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad04966467637265617465641b0000018bcfe5a68067657870697265731b0000018c6a646e80677061796c6f6164d82a582500015512202f49cad697c1f7d60c819b3e3312d3bf31c83941dfbb27c193392af02de76466";
    internal const string Bundle4Cid = "bafyreiawgidk73zj67nptqjqovusgwvhwuqfd3tp45tmidbod324axvyte";
    internal static readonly string[] BundleCids =
    [
        "bafyreid5ucn6eqv3a22jyg76v7qmhfngqpivlk5fzg2pdqsrdpnx2cwia4",
        "bafyreif2pxk45b7slksaz34sbbj6wjhetjy653ftywrm4jhcyhip7lxinu",
        "bafyreif7a6fgt7osyc54fbms4vec6qaudbvybia3qavuoak53rp5d7mjyi",
        "bafyreif2xooppkbpngpvgxz7xuekqjzedly6juttispr5ry46nstjz7x6i",
        "bafyreiawgidk73zj67nptqjqovusgwvhwuqfd3tp45tmidbod324axvyte",
        "bafyreieefwd6gtebf5g7blfl7h7j6kflhpfkzmly42cpnzpaeed4r3izci",
        "bafyreibswrqnfkeukyywpqauvnu342awndihxhlpiakzkiejg2dbjsvxha",
    ];
    internal const string Root3 = "5009d512499c715d03cdf068f966e1234896971824806285da2b091ca648e4dd";
    internal const string Root7 = "50ab265b993e6aa181e0d00829c0e913975437750fb8978cfa37a90618c64c4c";
    internal static readonly string[] Inclusion4Of7 = ["eba78fac3831ceb161ef86b8ad6c2e38a2716c095d3601b5d36af4856f1e53ec", "98a930de6ba8ae13e0fd8265be3cddbdd8fac5205f52931fd87b408c036c6fce", "cf8c54d92deb57c6d6d8ed471da45b5eb9a08478a5eea120defe7cff83abc158"];
    internal static readonly string[] Consistency3To7 = ["01e227935c7379db62909f9935f83f1470750d9623e4115b9fa13e9a7268e998", "c16963c119d78b40f835c649a140ad2fc0532bb434d684c513d7897d7770f954", "c6f6e7ed46419ea4551289a97e649473f755a459a7b74fccdead93eb54da1123", "62bc90d6d14f8256857472268bf52f9d5c0ec48e28ffba6ad041f07ea9e2d0ff"];
    internal const string Page7Hex = "87d82a582500017112207da09be242bb06b49c1bfeafe0c395a683d155aba5c9b4f1c2511bdb7d0ac807d82a58250001711220ba7dd5ce87f25aa40cef920853eb24e49a71eeecb3c5a2ce24e2c1d0ffaee86dd82a58250001711220bf078a69fdd2c0bbc28592e5482f4014186b80a01b802b47015ddc5fd1fd89c2d82a58250001711220babb9cf7a82f699f535f3fbd08a827241af1e4d273449f1ec71cf36534e7f7f2d82a58250001711220163206afef29f7daf9c1307569235aa7b52051ee6fe766c40c2e1ef5c05eb899d82a58250001711220842d87e34c812f4df0acabf9fe9f28ab3bcaacb178e684f6e5e02107c8ed1912d82a5825000171122032b460d2a894563167c014ab69be681668d07b9d6f4015952089368614cab738";
    internal const string Leaves7Cid = "bafyreicoiavp5taw7zfz7zihfsmyeb6yulliifubpzjlqymlhfta3cujyq";
    internal const string PosterCid = "bafkreihiqjwgmyrdgqki33qiikypdzp2uvqa7nelqwxyh5albahna2xjui";
    internal const string HeadHex = "ac6176016373696758402bac36404552d7d5572b781a9edd6b49ecad74b441b1257d2501447fa5674cd0644ace2826f85ab77a1c356249067c37d4511b5228661edb3b124c9009d66a0964726f6f74582050ab265b993e6aa181e0d00829c0e913975437750fb8978cfa37a90618c64c4c6473697a65076474696d651b0000018bcfe6eea06572656e647381a561681902d061771905006262771a002625a0626964643732307066636f6465637375617663312e3634303031662c6d7034612e34302e32657469746c65734f7665726c6179207465737420766563746f72666c6561766573d82a582500017112204e402afecc16fe4b9fe5072c998207d8a2d68416817e52b8618b39660d8a89c466706f73746572d82a58250001551220e8826c66622334148dee0842b0f1e5faa5600fb48b85af83f40b080ed06ae9a2667365616c6564f56673747265616d582600240801122079b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad04966467657870697265731b0000018c6a65b6a0";
    internal const string HeadCid = "bafyreihta2iiblzgkvgkaucugprbxdzswzfgip5pdfhhixr2kyowwwohjq";
    internal const string Synthetic256Root = "5fbefb7d7e5324c564a4a00ef9a724f309e0c968fdcaae73a3af4525f9852173";
    internal const string Synthetic256Leaves = "bafyreigcdfkx4p6vckg6fzp25j47f267mwsiqkxiar65dbrpxydb4rmfba";
    internal const string Synthetic300Root = "7a7fd6b967134239f01f38f841586c6c11934378f3923f2ecd6fa3c26916c811";
    internal const string Synthetic300Leaves = "bafyreigrave7j3dumzvlqyppkhk63kw5dfqgfkykvszjxrriqxz7lzgln4";
    internal const string Synthetic300IndexHex = "8282d82a58250001711220c219557e3fd5128de2e5faea79f2ebdf65a4882ae8047dd1862fbe061e45850858205fbefb7d7e5324c564a4a00ef9a724f309e0c968fdcaae73a3af4525f985217382d82a58250001711220cd968f0a22133d1c097ee9f7ff0c68326ee2c30d57b6075a7466adac139620fc58200c18e35108e376a59a8499f8f24e0216f8579b72aaeb1a08da54f605b81c2810";
    internal const string Synthetic65537Root = "579653cb3d84e31f6c8a84883625a60f77b526d23a9f106c104efcf3841b94f2";
    internal const string Synthetic65537Leaves = "bafyreie4xu6s4mz2vaqbxxkqjmf4iexe4b5mqwqwribbhlxnxubhpn6pf4";

    [Fact]
    public void Stream_key_vectors()
    {
        Assert.Equal(StreamIdHex, Convert.ToHexStringLower(StreamVectors.Stream.Bytes));
        Assert.Equal(PeerIdText, StreamVectors.Stream.ToString());
        Assert.Equal(StreamAddress, StreamVectors.Stream.ToBase36Name());
    }

    [Fact]
    public void Bundle_4_signs_to_the_spec_bytes_and_cid_and_decodes_back()
    {
        var signed = StreamVectors.Bundle(4).Sign(StreamVectors.Key);
        Assert.Equal(Bundle4Hex, Convert.ToHexStringLower(signed.Bytes.Span));
        Assert.Equal(Bundle4Cid, signed.Cid.ToString());
        var decoded = SignedBundle.Decode(Convert.FromHexString(Bundle4Hex), StreamVectors.Stream, StreamVectors.At(StreamVectors.BaseTime + 20_000));
        Assert.Equal(StreamVectors.Bundle(4), decoded.Bundle);
        Assert.Equal(Bundle4Cid, decoded.Cid.ToString());
    }

    [Fact]
    public void The_seven_bundles_have_the_spec_cids() =>
        Assert.Equal(BundleCids, StreamVectors.Bundles().Select(b => b.Cid.ToString()));

    [Fact]
    public void Tree_root_inclusion_and_consistency_vectors()
    {
        var leafHashes = BundleCids.Select(c => MerkleTree.HashLeaf(Cid.Parse(c).Bytes)).ToArray();
        Assert.Equal(Root3, Convert.ToHexStringLower(MerkleTree.RootOf(leafHashes, 0, 3)));
        Assert.Equal(Root7, Convert.ToHexStringLower(MerkleTree.RootOf(leafHashes)));
        var inclusion = MerkleProof.Inclusion(leafHashes, 4, 7);
        Assert.Equal(Inclusion4Of7, inclusion.Select(Convert.ToHexStringLower));
        Assert.True(MerkleProof.VerifyInclusion(leafHashes[4], 4, 7, inclusion, Convert.FromHexString(Root7)));
        var consistency = MerkleProof.Consistency(leafHashes, 3, 7);
        Assert.Equal(Consistency3To7, consistency.Select(Convert.ToHexStringLower));
        Assert.True(MerkleProof.VerifyConsistency(3, Convert.FromHexString(Root3), 7, Convert.FromHexString(Root7), consistency));
    }

    [Fact]
    public async Task Sealed_head_page_and_proofs_from_the_page_tree()
    {
        var store = new MemoryBlockStore();
        var head = await StreamVectors.SealedHeadAsync(store);
        Assert.Equal(HeadHex, Convert.ToHexStringLower(head.Bytes.Span));
        Assert.Equal(HeadCid, head.Cid.ToString());
        Assert.Equal(Leaves7Cid, head.Head.Leaves.ToString());
        Assert.Equal(PosterCid, StreamVectors.Poster.ToString());
        Assert.Equal(Page7Hex, Convert.ToHexStringLower((await store.GetAsync(head.Head.Leaves))!.Value.Span));
        var decoded = SignedTreeHead.Decode(Convert.FromHexString(HeadHex), StreamVectors.Stream, StreamVectors.At(StreamVectors.BaseTime + 200_000));
        Assert.Equal(head.Head, decoded.Head);
        var reader = new StreamManifestReader(store, decoded);
        Assert.Equal(Inclusion4Of7, (await reader.ProveInclusionAsync(4)).Select(Convert.ToHexStringLower));
        Assert.Equal(Consistency3To7, (await reader.ProveConsistencyAsync(3)).Select(Convert.ToHexStringLower));
    }

    [Theory]
    [InlineData(256, Synthetic256Root, Synthetic256Leaves)]
    [InlineData(300, Synthetic300Root, Synthetic300Leaves)]
    [InlineData(65537, Synthetic65537Root, Synthetic65537Leaves)]
    public async Task Page_tree_layout_vectors(int size, string root, string leaves)
    {
        var store = new MemoryBlockStore();
        var builder = new StreamManifestBuilder(StreamVectors.Key, store);
        for (var i = 0; i < size; i++)
        {
            builder.AppendLeaf(StreamVectors.SyntheticLeaf(i));
        }
        var head = await builder.SignHeadAsync(StreamVectors.At(StreamVectors.BaseTime));
        Assert.Equal(root, Convert.ToHexStringLower(head.Head.Root.Span));
        Assert.Equal(leaves, head.Head.Leaves.ToString());
        if (size == 300)
        {
            Assert.Equal(Synthetic300IndexHex, Convert.ToHexStringLower((await store.GetAsync(head.Head.Leaves))!.Value.Span));
        }
    }

    [Fact]
    public void Bundle_spec_contains_the_bundle_vectors() =>
        AssertSpecContains("bundle.md", StreamIdHex, PeerIdText, StreamAddress, Bundle4Hex, Bundle4Cid);

    [Fact]
    public void Manifest_spec_contains_the_manifest_vectors() =>
        AssertSpecContains("manifest.md",
        [
            .. BundleCids, Root3, Root7, .. Inclusion4Of7, .. Consistency3To7, Page7Hex, Leaves7Cid, PosterCid, HeadHex, HeadCid,
            Synthetic256Root, Synthetic256Leaves, Synthetic300Root, Synthetic300Leaves, Synthetic300IndexHex,
            Synthetic65537Root, Synthetic65537Leaves,
        ]);

    [Fact]
    public async Task Js_dag_cbor_reads_our_blocks_as_canonical_and_reencodes_them_to_the_same_cids()
    {
        string[] blocks = [Bundle4Hex, HeadHex, Page7Hex, Synthetic300IndexHex];
        var decoded = await JsPeer.RunAsync("dagcbor.mjs", ["decode-canonical"], string.Join('\n', blocks) + "\n");
        Assert.Equal(0, decoded.ExitCode);
        var json = decoded.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(blocks.Length, json.Length);
        Assert.DoesNotContain(json, line => line.StartsWith("ERR", StringComparison.Ordinal));
        var encoded = await JsPeer.RunAsync("dagcbor.mjs", ["encode"], string.Join('\n', json) + "\n");
        var lines = encoded.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < blocks.Length; i++)
        {
            var hexAndCid = lines[i].Split(' ');
            Assert.Equal(blocks[i], hexAndCid[0]);
            Assert.Equal(Cid.Compute(Multicodec.DagCbor, Convert.FromHexString(blocks[i])).ToString(), hexAndCid[1]);
        }
        Assert.Equal(Bundle4Cid, lines[0].Split(' ')[1]);
        Assert.Equal(HeadCid, lines[1].Split(' ')[1]);
    }

    private static void AssertSpecContains(string file, params string[] values)
    {
        // Hex in the spec may be wrapped; whitespace is not part of any vector.
        var text = WhiteSpace().Replace(File.ReadAllText(Path.Combine(RepositoryRoot(), "specs", file)), "");
        foreach (var value in values)
        {
            Assert.True(text.Contains(value, StringComparison.Ordinal), $"specs/{file} does not contain {value}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Overlay.sln")) && Directory.Exists(Path.Combine(dir.FullName, "specs")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Overlay.sln with specs/ above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
