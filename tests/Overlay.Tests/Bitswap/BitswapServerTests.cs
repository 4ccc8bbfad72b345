using Overlay.Bitswap;
using Overlay.Bitswap.Messages;
using Overlay.Manifest.Multiformats;

namespace Overlay.Tests.Bitswap;

/// <summary>Our server, driven by a peer that speaks bitswap by hand.</summary>
public sealed class BitswapServerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static async Task<(BitswapNode Node, RawBitswapPeer Peer)> StartPairAsync(BitswapOptions? options = null, params string[] protocols)
    {
        var node = await BitswapNode.StartAsync(options: options);
        var peer = await RawBitswapPeer.StartAsync(protocols);
        await peer.ConnectAsync(node.Host);
        return (node, peer);
    }

    /// <summary>Collects blocks and presences from received messages until <paramref name="done"/> says enough.</summary>
    private static async Task<(List<BitswapBlock> Blocks, List<BitswapBlockPresence> Presences)> CollectAsync(RawBitswapPeer peer, Func<List<BitswapBlock>, List<BitswapBlockPresence>, bool> done)
    {
        var blocks = new List<BitswapBlock>();
        var presences = new List<BitswapBlockPresence>();
        while (!done(blocks, presences))
        {
            var message = await peer.NextAsync(Timeout);
            blocks.AddRange(message.Blocks);
            presences.AddRange(message.Presences);
        }
        return (blocks, presences);
    }

    [Fact]
    public async Task Wants_are_answered_with_HAVE_DONT_HAVE_or_the_block()
    {
        var (node, peer) = await StartPairAsync();
        await using var _ = node;
        await using var __ = peer;
        var big = TestBlocks.Raw(1);
        var small = TestBlocks.Raw(2, 100);
        var missing = TestBlocks.Raw(3);
        await node.Bitswap.LocalStore.PutAsync(big.Cid, big.Data);
        await node.Bitswap.LocalStore.PutAsync(small.Cid, small.Data);

        await peer.SendAsync(node.Host.PeerId, new BitswapMessage
        {
            Wantlist =
            [
                BitswapWantlistEntry.WantHave(big.Cid),
                BitswapWantlistEntry.WantHave(small.Cid),
                BitswapWantlistEntry.WantHave(missing.Cid),
            ],
        });
        var (blocks, presences) = await CollectAsync(peer, (b, p) => b.Count + p.Count >= 3);
        Assert.Contains(new BitswapBlockPresence(big.Cid, BitswapPresenceType.Have), presences);
        Assert.Contains(new BitswapBlockPresence(missing.Cid, BitswapPresenceType.DontHave), presences);
        Assert.Equal(small.Cid, Assert.Single(blocks).ComputeCid()); // small enough to send instead of HAVE

        await peer.SendAsync(node.Host.PeerId, new BitswapMessage
        {
            Wantlist = [BitswapWantlistEntry.WantBlock(big.Cid), BitswapWantlistEntry.WantBlock(TestBlocks.Raw(4).Cid)],
        });
        (blocks, presences) = await CollectAsync(peer, (b, p) => b.Count + p.Count >= 2);
        var block = Assert.Single(blocks);
        Assert.Equal(big.Cid, block.ComputeCid());
        Assert.Equal(big.Data, block.Data.ToArray());
        Assert.Equal(new BitswapBlockPresence(TestBlocks.Raw(4).Cid, BitswapPresenceType.DontHave), Assert.Single(presences));
        await Eventually.TrueAsync(() => node.Bitswap.Metrics.BlocksSent == 2, "two blocks are counted as sent");
    }

    [Fact]
    public async Task A_block_put_later_is_sent_to_the_peer_that_wanted_it()
    {
        var (node, peer) = await StartPairAsync();
        await using var _ = node;
        await using var __ = peer;
        var later = TestBlocks.Raw(5);
        await peer.SendAsync(node.Host.PeerId, new BitswapMessage { Wantlist = [BitswapWantlistEntry.WantBlock(later.Cid)] });
        Assert.Equal(BitswapPresenceType.DontHave, Assert.Single((await peer.NextAsync(Timeout)).Presences).Type);
        Assert.Equal(later.Cid, Assert.Single(node.Bitswap.Server.WantlistOf(peer.Host.PeerId)).Cid);

        await node.Bitswap.LocalStore.PutAsync(later.Cid, later.Data);

        var message = await peer.NextAsync(Timeout);
        Assert.Equal(later.Cid, Assert.Single(message.Blocks).ComputeCid());
        Assert.Empty(node.Bitswap.Server.WantlistOf(peer.Host.PeerId));
    }

    [Fact]
    public async Task Cancels_and_full_wantlists_replace_what_the_ledger_holds()
    {
        var (node, peer) = await StartPairAsync();
        await using var _ = node;
        await using var __ = peer;
        var (x, y, z) = (TestBlocks.Raw(6).Cid, TestBlocks.Raw(7).Cid, TestBlocks.Raw(8).Cid);
        await peer.SendAsync(node.Host.PeerId, new BitswapMessage { Wantlist = [BitswapWantlistEntry.WantBlock(x, sendDontHave: false), BitswapWantlistEntry.WantBlock(y, sendDontHave: false)] });
        await Eventually.TrueAsync(() => node.Bitswap.Server.WantlistOf(peer.Host.PeerId).Count == 2, "the ledger holds two wants");

        await peer.SendAsync(node.Host.PeerId, new BitswapMessage { Wantlist = [BitswapWantlistEntry.CancelOf(x)] });
        await Eventually.TrueAsync(() => node.Bitswap.Server.WantlistOf(peer.Host.PeerId).Select(e => e.Cid).SequenceEqual([y]), "the cancel removed x");

        await peer.SendAsync(node.Host.PeerId, new BitswapMessage { Wantlist = [BitswapWantlistEntry.WantHave(z, sendDontHave: false)], FullWantlist = true });
        await Eventually.TrueAsync(() => node.Bitswap.Server.WantlistOf(peer.Host.PeerId).Select(e => e.Cid).SequenceEqual([z]), "the full wantlist replaced y by z");
        Assert.Equal(BitswapWantType.Have, node.Bitswap.Server.WantlistOf(peer.Host.PeerId)[0].WantType);
    }

    [Fact]
    public async Task The_ledger_is_bounded_and_dies_with_the_connection()
    {
        var (node, peer) = await StartPairAsync(new BitswapOptions { MaxLedgerEntriesPerPeer = 8 });
        await using var _ = node;
        await using var __ = peer;
        await peer.SendAsync(node.Host.PeerId, new BitswapMessage
        {
            Wantlist = Enumerable.Range(100, 20).Select(i => BitswapWantlistEntry.WantBlock(TestBlocks.Raw((ulong)i, 8).Cid, sendDontHave: false)).ToArray(),
        });
        await Eventually.TrueAsync(() => node.Bitswap.Metrics.RejectedFor(BitswapRejectReason.LedgerFull) == 12, "12 wants were refused");
        Assert.Equal(8, node.Bitswap.Server.WantlistOf(peer.Host.PeerId).Count);
        Assert.Equal(1, node.Bitswap.Server.LedgerCount);

        foreach (var connection in peer.Host.Connections)
        {
            await connection.Muxer.CloseAsync();
        }
        await Eventually.TrueAsync(() => node.Bitswap.Server.LedgerCount == 0, "the ledger is gone");
        Assert.Empty(node.Bitswap.Server.WantlistOf(peer.Host.PeerId));
    }

    [Fact]
    public async Task Higher_priority_wants_are_served_first()
    {
        var (node, peer) = await StartPairAsync();
        await using var _ = node;
        await using var __ = peer;
        var blocks = Enumerable.Range(0, 3).Select(i => TestBlocks.Raw(20 + (ulong)i)).ToArray();
        foreach (var (cid, data) in blocks)
        {
            await node.Bitswap.LocalStore.PutAsync(cid, data);
        }
        await peer.SendAsync(node.Host.PeerId, new BitswapMessage
        {
            Wantlist =
            [
                BitswapWantlistEntry.WantBlock(blocks[0].Cid, priority: 1),
                BitswapWantlistEntry.WantBlock(blocks[1].Cid, priority: 10),
                BitswapWantlistEntry.WantBlock(blocks[2].Cid, priority: 5),
            ],
        });
        var (received, _) = await CollectAsync(peer, (b, _) => b.Count >= 3);
        Assert.Equal([blocks[1].Cid, blocks[2].Cid, blocks[0].Cid], received.Select(b => b.ComputeCid()));
    }

    [Theory]
    [InlineData(BitswapProtocols.V110)]
    [InlineData(BitswapProtocols.V100)]
    [InlineData(BitswapProtocols.Legacy)]
    public async Task Peers_speaking_older_versions_are_served_in_their_version(string protocol)
    {
        var (node, peer) = await StartPairAsync(null, protocol);
        await using var _ = node;
        await using var __ = peer;
        var data = "an old peer's block"u8.ToArray();
        var cid = Cid.CreateV0(Multihash.Sha2_256(data));
        await node.Bitswap.LocalStore.PutAsync(cid, data);

        // Before 1.2.0 there is no want-have: the encoder turns it into a plain want.
        await peer.SendAsync(node.Host.PeerId, new BitswapMessage { Wantlist = [BitswapWantlistEntry.WantHave(cid)] }, protocol);

        var block = Assert.Single((await peer.NextAsync(Timeout)).Blocks);
        Assert.Equal(cid, block.ComputeCid());
        Assert.Equal(data, block.Data.ToArray());
    }

    [Fact]
    public async Task Several_messages_on_one_stream_are_all_read()
    {
        var (node, peer) = await StartPairAsync();
        await using var _ = node;
        await using var __ = peer;
        var blocks = Enumerable.Range(0, 3).Select(i => TestBlocks.Raw(30 + (ulong)i, 64)).ToArray();
        foreach (var (cid, data) in blocks)
        {
            await node.Bitswap.LocalStore.PutAsync(cid, data);
        }
        var frames = blocks.SelectMany(b => Frame(new BitswapMessage { Wantlist = [BitswapWantlistEntry.WantBlock(b.Cid)] })).ToArray();
        await using var stream = await peer.OpenAndWriteAsync(node.Host.PeerId, frames);
        var (received, _) = await CollectAsync(peer, (b, _) => b.Count >= 3);
        Assert.Equal(blocks.Select(b => b.Cid).Order(), received.Select(b => b.ComputeCid()).Order());
    }

    internal static byte[] Frame(BitswapMessage message)
    {
        var body = message.Encode();
        return [.. Varint.Encode((ulong)body.Length), .. body];
    }
}
