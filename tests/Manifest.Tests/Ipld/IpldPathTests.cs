using Overlay.Manifest.Blocks;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Tests.Ipld;

public sealed class IpldPathTests
{
    private static async Task<Cid> PutAsync(IBlockStore store, IpldNode node)
    {
        var bytes = DagCbor.Encode(node);
        var cid = Cid.Compute(Multicodec.DagCbor, bytes);
        await store.PutAsync(cid, bytes);
        return cid;
    }

    [Fact]
    public async Task Walks_map_keys_list_indexes_and_links_including_a_final_link()
    {
        var store = new MemoryBlockStore();
        var leaf = await PutAsync(store, IpldMap.Of(("name", "leaf")));
        var middle = await PutAsync(store, IpldMap.Of(("items", new IpldList([1, new IpldLink(leaf)]))));
        var root = await PutAsync(store, IpldMap.Of(("next", new IpldLink(middle)), ("n", 7)));

        Assert.Equal(new IpldString("leaf"), await IpldPath.ResolveAsync(store, root, ["next", "items", "1", "name"]));
        Assert.Equal(IpldMap.Of(("name", "leaf")), await IpldPath.ResolveAsync(store, root, ["next", "items", "1"]));
        Assert.Equal(new IpldInteger(7), await IpldPath.ResolveAsync(store, root, ["n"]));
        Assert.Equal(IpldMap.Of(("next", new IpldLink(middle)), ("n", 7)), await IpldPath.ResolveAsync(store, root, []));
    }

    [Fact]
    public async Task Missing_segments_bad_indexes_and_missing_blocks_are_typed_errors()
    {
        var store = new MemoryBlockStore();
        var absent = Cid.Compute(Multicodec.DagCbor, DagCbor.Encode(IpldMap.Of(("gone", true))));
        var root = await PutAsync(store, IpldMap.Of(("list", new IpldList([1, 2])), ("away", new IpldLink(absent))));

        var missing = await Assert.ThrowsAsync<IpldPathException>(() => IpldPath.ResolveAsync(store, root, ["nope"]));
        Assert.Equal($"no \"nope\" in {root} (a map)", missing.Message);
        await Assert.ThrowsAsync<IpldPathException>(() => IpldPath.ResolveAsync(store, root, ["list", "2"]));
        await Assert.ThrowsAsync<IpldPathException>(() => IpldPath.ResolveAsync(store, root, ["list", "-1"]));
        await Assert.ThrowsAsync<IpldPathException>(() => IpldPath.ResolveAsync(store, root, ["list", "0", "deeper"]));
        var notFound = await Assert.ThrowsAsync<BlockNotFoundException>(() => IpldPath.ResolveAsync(store, root, ["away"]));
        Assert.Equal(absent, notFound.Cid);
    }

    [Fact]
    public async Task A_path_crossing_more_than_the_link_limit_is_refused()
    {
        var store = new MemoryBlockStore();
        var chain = new List<Cid> { await PutAsync(store, IpldMap.Of(("end", true))) };
        for (var i = 0; i <= IpldPath.MaxLinksFollowed; i++)
        {
            chain.Add(await PutAsync(store, IpldMap.Of(("l", new IpldLink(chain[^1])))));
        }
        string[] Links(int count) => Enumerable.Repeat("l", count).ToArray();

        var error = await Assert.ThrowsAsync<IpldPathException>(() => IpldPath.ResolveAsync(store, chain[^1], Links(IpldPath.MaxLinksFollowed + 1)));
        Assert.Contains($"more than {IpldPath.MaxLinksFollowed} links", error.Message, StringComparison.Ordinal);
        Assert.Equal(IpldBoolean.True, await IpldPath.ResolveAsync(store, chain[^2], [.. Links(IpldPath.MaxLinksFollowed), "end"]));
    }
}
