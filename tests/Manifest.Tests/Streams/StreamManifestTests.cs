using Overlay.Manifest.Blocks;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;

namespace Overlay.Manifest.Tests.Streams;

public sealed class StreamManifestTests
{
    private static DateTimeOffset T(long offsetMs) => StreamVectors.At(StreamVectors.BaseTime + offsetMs);

    private static async Task<(StreamManifestBuilder Builder, MemoryBlockStore Store, SignedTreeHead Head)> SyntheticAsync(int size)
    {
        var store = new MemoryBlockStore();
        var builder = new StreamManifestBuilder(StreamVectors.Key, store);
        for (var i = 0; i < size; i++)
        {
            builder.AppendLeaf(StreamVectors.SyntheticLeaf(i));
        }
        return (builder, store, await builder.SignHeadAsync(T(0)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(513)]
    [InlineData(1000)]
    public async Task The_reader_returns_the_leaves_and_the_same_proofs_as_the_builder(int size)
    {
        var (builder, store, head) = await SyntheticAsync(size);
        var reader = new StreamManifestReader(store, head);
        await reader.VerifyAllAsync();
        Assert.Equal(builder.Leaves, await reader.GetLeavesAsync(0, size));
        var probes = new[] { 0, 1, size / 2, size - 2, size - 1, 255, 256, 257, 511, 512 }.Where(i => i >= 0 && i < size).Distinct();
        foreach (var seq in probes)
        {
            Assert.Equal(builder.Leaves[seq], await reader.GetLeafAsync(seq));
            Assert.Equal(builder.ProveInclusion(seq, size), await reader.ProveInclusionAsync(seq));
            Assert.Equal(builder.ProveConsistency(seq + 1, size), await reader.ProveConsistencyAsync(seq + 1));
        }
    }

    [Fact]
    public async Task Proofs_across_an_index_level_match_for_65537_leaves()
    {
        var (builder, store, head) = await SyntheticAsync(65537);
        var reader = new StreamManifestReader(store, head);
        foreach (var seq in new[] { 0, 65535, 65536, 40000 })
        {
            var proof = await reader.ProveInclusionAsync(seq);
            Assert.Equal(builder.ProveInclusion(seq, 65537), proof);
            Assert.True(MerkleProof.VerifyInclusion(MerkleTree.HashLeaf(builder.Leaves[seq].Bytes), seq, 65537, proof, head.Head.Root.Span));
        }
        foreach (var first in new[] { 1, 300, 65536, 65000 })
        {
            Assert.Equal(builder.ProveConsistency(first, 65537), await reader.ProveConsistencyAsync(first));
        }
    }

    [Fact]
    public async Task Consecutive_heads_share_every_full_node()
    {
        var store = new MemoryBlockStore();
        var builder = new StreamManifestBuilder(StreamVectors.Key, store);
        for (var i = 0; i < 600; i++)
        {
            builder.AppendLeaf(StreamVectors.SyntheticLeaf(i));
        }
        var first = await builder.SignHeadAsync(T(0));
        var before = store.Count;
        builder.AppendLeaf(StreamVectors.SyntheticLeaf(600));
        var second = await builder.SignHeadAsync(T(1));
        // One new last page, one new index node, one new head: the two full pages are reused.
        Assert.Equal(before + 3, store.Count);
        var firstIndex = (IpldList)DagCbor.Decode((await store.GetAsync(first.Head.Leaves))!.Value.Span);
        var secondIndex = (IpldList)DagCbor.Decode((await store.GetAsync(second.Head.Leaves))!.Value.Span);
        Assert.Equal(firstIndex.Items[0], secondIndex.Items[0]);
        Assert.Equal(firstIndex.Items[1], secondIndex.Items[1]);
        Assert.NotEqual(firstIndex.Items[2], secondIndex.Items[2]);
    }

    [Fact]
    public async Task A_block_that_does_not_hash_to_its_cid_is_rejected()
    {
        var (_, store, head) = await SyntheticAsync(300);
        var index = (IpldList)DagCbor.Decode((await store.GetAsync(head.Head.Leaves))!.Value.Span);
        var pageCid = index.Items[1].AsList()[0].AsLink();
        var tampered = await CopyAsync(store, except: pageCid);
        await tampered.PutAsync(pageCid, PageTree.EncodePage([StreamVectors.SyntheticLeaf(999)]));
        var reader = new StreamManifestReader(tampered, head);
        await reader.GetLeafAsync(5);
        await Assert.ThrowsAsync<VerificationException>(async () => await reader.GetLeafAsync(260));
    }

    [Fact]
    public async Task A_head_whose_page_tree_disagrees_with_its_root_is_caught()
    {
        var (_, store, head) = await SyntheticAsync(300);
        var (_, otherStore, other) = await SyntheticAsync(299);
        var (_, pageStore, onePage) = await SyntheticAsync(256);
        // A publisher (or bug) signs the root of one tree with the page tree of another.
        var lying = (head.Head with { Root = other.Head.Root }).Sign(StreamVectors.Key);
        await Assert.ThrowsAsync<VerificationException>(async () => await new StreamManifestReader(store, lying).GetLeafAsync(0));
        // Right root, the page tree of 299 leaves: same shape, the node hash gives it away.
        var shortTree = (head.Head with { Leaves = other.Head.Leaves }).Sign(StreamVectors.Key);
        await Assert.ThrowsAsync<VerificationException>(async () => await new StreamManifestReader(otherStore, shortTree).GetLeafAsync(0));
        // Right root, a single page where an index node belongs: the node has the wrong shape.
        var flatTree = (head.Head with { Leaves = onePage.Head.Leaves }).Sign(StreamVectors.Key);
        await Assert.ThrowsAsync<MalformedDataException>(async () => await new StreamManifestReader(pageStore, flatTree).GetLeafAsync(0));
    }

    [Fact]
    public async Task Index_entries_with_a_wrong_hash_are_caught_at_the_page()
    {
        var (_, store, head) = await SyntheticAsync(300);
        var index = (IpldList)DagCbor.Decode((await store.GetAsync(head.Head.Leaves))!.Value.Span);
        var pages = index.Items.Select(e => e.AsList()[0].AsLink()).ToArray();
        // An honest-looking index whose second entry names a real page but claims another hash:
        // the index's own hash no longer matches the root.
        var forgedIndex = PageTree.EncodeIndex([
            new PageTreeEntry(pages[0], index.Items[0].AsList()[1].AsBytes().ToArray()),
            new PageTreeEntry(pages[1], new byte[32])]);
        var forgedCid = Cid.Compute(Multicodec.DagCbor, forgedIndex);
        await store.PutAsync(forgedCid, forgedIndex);
        var forged = (head.Head with { Leaves = forgedCid }).Sign(StreamVectors.Key);
        await Assert.ThrowsAsync<VerificationException>(async () => await new StreamManifestReader(store, forged).GetLeafAsync(0));
    }

    [Fact]
    public async Task Malformed_nodes_are_malformed_data()
    {
        var (_, store, head) = await SyntheticAsync(3);
        foreach (IpldNode bad in new IpldNode[]
        {
            IpldMap.Of(("a", 1)),
            new IpldList([StreamVectors.SyntheticLeaf(0), StreamVectors.SyntheticLeaf(1), Cid.Compute(Multicodec.Raw, [1])]),
            new IpldList([StreamVectors.SyntheticLeaf(0), StreamVectors.SyntheticLeaf(1), 7]),
        })
        {
            var bytes = DagCbor.Encode(bad);
            var cid = Cid.Compute(Multicodec.DagCbor, bytes);
            await store.PutAsync(cid, bytes);
            var pointed = (head.Head with { Leaves = cid }).Sign(StreamVectors.Key);
            await Assert.ThrowsAsync<MalformedDataException>(async () => await new StreamManifestReader(store, pointed).GetLeafAsync(0));
        }
        var huge = new byte[StreamLimits.MaxNodeBytes + 1];
        var hugeCid = Cid.Compute(Multicodec.DagCbor, huge);
        await store.PutAsync(hugeCid, huge);
        var oversized = (head.Head with { Leaves = hugeCid }).Sign(StreamVectors.Key);
        await Assert.ThrowsAsync<LimitExceededException>(async () => await new StreamManifestReader(store, oversized).GetLeafAsync(0));
    }

    [Fact]
    public async Task A_missing_block_is_reported_as_missing()
    {
        var (_, store, head) = await SyntheticAsync(300);
        await store.DeleteAsync(head.Head.Leaves);
        var missing = await Assert.ThrowsAsync<BlockNotFoundException>(async () => await new StreamManifestReader(store, head).GetLeafAsync(0));
        Assert.Equal(head.Head.Leaves, missing.Cid);
    }

    [Fact]
    public async Task A_publisher_resumes_from_its_last_head()
    {
        var store = new MemoryBlockStore();
        var builder = await StreamVectors.BuilderAsync(store, 4);
        var head4 = await builder.SignHeadAsync(T(1000));
        var resumed = await StreamManifestBuilder.ResumeAsync(StreamVectors.Key, store, head4);
        Assert.Equal(4, resumed.Size);
        Assert.Equal(builder.Root, resumed.Root);
        Assert.Equal(StreamVectors.Metadata, resumed.Metadata);
        foreach (var bundle in StreamVectors.Bundles()[4..])
        {
            await resumed.AppendAsync(bundle);
        }
        var head7 = await resumed.SignHeadAsync(T(2000));
        Assert.Equal(StreamVectorTests.Root7, Convert.ToHexStringLower(head7.Head.Root.Span));
        var proof = await new StreamManifestReader(store, head7).ProveConsistencyAsync(4);
        Assert.Equal(HeadUpdate.Extended, TreeHeadSuccession.Check(head4, head7, proof));
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await StreamManifestBuilder.ResumeAsync(Ed25519PrivateKey.FromSeed(new byte[32]), store, head4));
    }

    [Fact]
    public async Task The_builder_refuses_misuse()
    {
        var store = new MemoryBlockStore();
        var builder = new StreamManifestBuilder(StreamVectors.Key, store);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await builder.SignHeadAsync(T(0)));
        var bundles = StreamVectors.Bundles();
        await Assert.ThrowsAsync<ArgumentException>(async () => await builder.AppendAsync(bundles[1]));
        var other = Ed25519PrivateKey.FromSeed(Enumerable.Repeat((byte)5, 32).ToArray());
        await Assert.ThrowsAsync<ArgumentException>(async () => await builder.AppendAsync((StreamVectors.Bundle(0) with { Stream = other.PeerId }).Sign(other)));
        await builder.AppendAsync(bundles[0]);
        Assert.True(await store.HasAsync(bundles[0].Cid));
        await builder.SignHeadAsync(T(10));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await builder.SignHeadAsync(T(10)));
    }

    private static async Task<MemoryBlockStore> CopyAsync(MemoryBlockStore from, Cid except)
    {
        var to = new MemoryBlockStore();
        await foreach (var cid in from.ListAsync())
        {
            if (!cid.Hash.Equals(except.Hash))
            {
                await to.PutAsync(cid, (await from.GetAsync(cid))!.Value);
            }
        }
        return to;
    }
}
