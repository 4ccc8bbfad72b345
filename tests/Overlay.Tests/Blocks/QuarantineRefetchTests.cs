using Overlay.Bitswap;
using Overlay.Bitswap.Messages;
using Overlay.Blocks;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;
using Overlay.Tests.Bitswap;
using Overlay.Tests.Shared;

namespace Overlay.Tests.Blocks;

/// <summary>A corrupt local block is fetched again from a peer that has a good copy, and never served to peers.</summary>
public sealed class QuarantineRefetchTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly BlockStoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task A_corrupt_leaf_is_quarantined_and_refetched_so_the_file_reads_byte_exact()
    {
        const long size = 3L << 20;
        await using var a = await BitswapNode.StartAsync();
        await using var b = await BitswapNode.StartAsync(_fixture.Store);
        var root = await a.ImportAsync(seed: 77, size);
        await using (var content = DeterministicBytes.Open(77, size))
        {
            Assert.Equal(root, (await new UnixFsImporter(_fixture.Store).ImportFileAsync(content)).Cid);
        }
        var leaf = await FirstLeafAsync(_fixture.Store, root);
        var path = _fixture.PathOf(leaf);
        var good = File.ReadAllBytes(path);
        var bad = (byte[])good.Clone();
        bad[12345] ^= 0xFF;
        File.WriteAllBytes(path, bad);
        await b.ConnectAsync(a.Host);

        var sha = await BitswapTransferTests.Sha256OfAsync(b.Bitswap.Blocks, root).WaitAsync(Timeout);

        Assert.Equal(BitswapTransferTests.ExpectedSha256(77, size), sha);
        Assert.Equal(1, _fixture.Store.Metrics.Quarantined);
        Assert.Equal(good, File.ReadAllBytes(path));
        Assert.Equal(bad, File.ReadAllBytes(Assert.Single(Directory.GetFiles(_fixture.QuarantinePath))));
        Assert.Equal(1, b.Bitswap.Metrics.BlocksReceived);
    }

    [Fact]
    public async Task The_bitswap_server_answers_DONT_HAVE_for_a_corrupt_local_block_never_its_bytes()
    {
        await using var node = await BitswapNode.StartAsync(_fixture.Store);
        await using var peer = await RawBitswapPeer.StartAsync();
        await peer.ConnectAsync(node.Host);
        var (cid, data) = BlockStoreFixture.Raw(9, 200_000);
        await _fixture.Store.PutAsync(cid, data);
        data[0] ^= 1;
        File.WriteAllBytes(_fixture.PathOf(cid), data);

        await peer.SendAsync(node.Host.PeerId, new BitswapMessage { Wantlist = [BitswapWantlistEntry.WantBlock(cid)] });
        var answer = await peer.NextAsync(Timeout);

        Assert.Empty(answer.Blocks);
        Assert.Equal(new BitswapBlockPresence(cid, BitswapPresenceType.DontHave), Assert.Single(answer.Presences));
        Assert.Equal(0, node.Bitswap.Metrics.BlocksSent);
        Assert.Equal(1, _fixture.Store.Metrics.Quarantined);
    }

    private static async Task<Cid> FirstLeafAsync(IBlockStore store, Cid root)
    {
        var node = Manifest.DagPb.DagPb.Decode((await store.GetAsync(root))!.Value.Span);
        return node.Links[1].Hash;
    }
}
