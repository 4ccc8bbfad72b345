using System.Collections.Concurrent;
using Overlay.Bitswap;
using Overlay.Bitswap.Messages;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Protobuf;
using Overlay.Muxing;

namespace Overlay.Tests.Bitswap;

/// <summary>Peers that lie, push, flood and overflow: refused, counted, cut off; honest traffic unaffected.</summary>
public sealed class BitswapHostileTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>A peer that claims every block and, asked for one, sends the right prefix with wrong bytes.</summary>
    private static async Task<(RawBitswapPeer Peer, ConcurrentBag<Cid> Sent)> StartLiarAsync()
    {
        var liar = await RawBitswapPeer.StartAsync();
        var sent = new ConcurrentBag<Cid>();
        liar.OnMessage = async (peer, message) =>
        {
            var wants = message.Wantlist.Where(e => !e.Cancel).ToArray();
            var tampered = wants.Where(e => e.WantType == BitswapWantType.Block).Select(e =>
            {
                var bytes = TestBlocks.Raw(7, 1 << 20).Data;
                bytes[0] ^= 0xFF;
                var block = new BitswapBlock(CidPrefix.Of(e.Cid), bytes);
                sent.Add(block.ComputeCid());
                return block;
            }).ToArray();
            var haves = wants.Where(e => e.WantType == BitswapWantType.Have).Select(e => new BitswapBlockPresence(e.Cid, BitswapPresenceType.Have)).ToArray();
            foreach (var block in tampered)
            {
                await liar.SendAsync(peer, new BitswapMessage { Blocks = [block] });
            }
            if (haves.Length > 0)
            {
                await liar.SendAsync(peer, new BitswapMessage { Presences = haves });
            }
        };
        return (liar, sent);
    }

    [Fact]
    public async Task Tampered_blocks_are_rejected_the_liar_is_cut_off_and_the_file_comes_from_an_honest_peer()
    {
        const long size = 8L << 20;
        var (liar, tampered) = await StartLiarAsync();
        await using var _ = liar;
        await using var honest = await BitswapNode.StartAsync();
        await using var b = await BitswapNode.StartAsync(options: new BitswapOptions { MaxStrikes = 3, BlockTimeout = TimeSpan.FromMilliseconds(500) });
        var root = await honest.ImportAsync(seed: 8, size);
        await liar.ConnectAsync(b.Host);

        var fetch = new DagFetcher(b.Bitswap).FetchAsync(root);
        await Eventually.TrueAsync(() => !tampered.IsEmpty, "the liar sent a tampered block");
        await b.ConnectAsync(honest.Host);
        var result = await fetch.WaitAsync(Timeout);

        Assert.Equal(9, result.Blocks);
        Assert.Equal(BitswapTransferTests.ExpectedSha256(8, size), await BitswapTransferTests.Sha256OfAsync(b.Store, root));
        Assert.True(b.Bitswap.Metrics.RejectedFor(BitswapRejectReason.UnrequestedBlock) >= 1);
        foreach (var cid in tampered)
        {
            Assert.False(await b.Store.HasAsync(cid), $"tampered block {cid} was stored");
        }
        Assert.Equal(9, b.Bitswap.Metrics.BlocksReceived);
        if (tampered.Count >= 3)
        {
            await Eventually.TrueAsync(() => !b.Host.IsConnected(liar.Host.PeerId), "the liar is disconnected");
            Assert.Equal(1, b.Bitswap.Metrics.PeersCutOff);
        }
    }

    [Fact]
    public async Task Unrequested_blocks_are_dropped_counted_and_their_pusher_is_banned()
    {
        await using var pusher = await RawBitswapPeer.StartAsync();
        await using var b = await BitswapNode.StartAsync(options: new BitswapOptions { MaxStrikes = 5 });
        await using var honest = await BitswapNode.StartAsync();
        await pusher.ConnectAsync(b.Host);
        await b.ConnectAsync(honest.Host);
        var pushed = Enumerable.Range(0, 5).Select(i => TestBlocks.Raw(60 + (ulong)i, 1000)).ToArray();

        await pusher.SendAsync(b.Host.PeerId, new BitswapMessage { Blocks = pushed.Select(p => BitswapBlock.Of(p.Cid, p.Data)).ToArray() });

        await Eventually.TrueAsync(() => b.Bitswap.Metrics.RejectedFor(BitswapRejectReason.UnrequestedBlock) == 5, "five pushed blocks were rejected");
        foreach (var (cid, _) in pushed)
        {
            Assert.False(await b.Store.HasAsync(cid));
        }
        Assert.Equal(0, b.Bitswap.Metrics.BlocksReceived);
        await Eventually.TrueAsync(() => !b.Host.IsConnected(pusher.Host.PeerId), "the pusher is disconnected");
        Assert.Equal(1, b.Bitswap.Metrics.PeersCutOff);

        // Banned: a new connection is closed again at once.
        await Eventually.TrueAsync(() => !pusher.Host.IsConnected(b.Host.PeerId), "the pusher saw the disconnect");
        try
        {
            await pusher.ConnectAsync(b.Host);
        }
        catch (OverlayException)
        {
            // Cut off during the handshake: as refused as it gets.
        }
        await Eventually.TrueAsync(() => b.Bitswap.Metrics.RejectedFor(BitswapRejectReason.BannedPeer) >= 1 && !b.Host.IsConnected(pusher.Host.PeerId), "the banned peer is refused");
        Assert.DoesNotContain(pusher.Host.PeerId, b.Bitswap.Peers);

        // Honest traffic is unaffected.
        var (good, goodData) = TestBlocks.Raw(69);
        await honest.Bitswap.LocalStore.PutAsync(good, goodData);
        Assert.Equal(goodData, (await b.Bitswap.Client.GetBlockAsync(good).WaitAsync(Timeout)).ToArray());
    }

    [Fact]
    public async Task A_wantlist_flood_of_10000_entries_is_refused_while_honest_peers_are_served()
    {
        await using var a = await BitswapNode.StartAsync();
        await using var flooder = await RawBitswapPeer.StartAsync();
        await using var b = await BitswapNode.StartAsync();
        var root = await a.ImportAsync(seed: 4, 4L << 20);
        await flooder.ConnectAsync(a.Host);
        await b.ConnectAsync(a.Host);
        var flood = new BitswapMessage { Wantlist = Enumerable.Range(0, 10_000).Select(i => BitswapWantlistEntry.WantBlock(Cid.Compute(Multicodec.Raw, BitConverter.GetBytes(i)))).ToArray() };
        var frame = BitswapServerTests.Frame(flood);

        var fetch = new DagFetcher(b.Bitswap).FetchAsync(root);
        await using (var stream = await flooder.OpenAndWriteAsync(a.Host.PeerId, frame))
        {
            await Assert.ThrowsAsync<StreamResetException>(async () => await stream.Input.ReadAsync().AsTask().WaitAsync(Timeout));
        }
        await fetch.WaitAsync(Timeout);

        Assert.Equal(1, a.Bitswap.Metrics.RejectedFor(BitswapRejectReason.LimitExceeded));
        Assert.Empty(a.Bitswap.Server.WantlistOf(flooder.Host.PeerId));
        Assert.Equal(0, a.Bitswap.Metrics.RejectedFor(BitswapRejectReason.LedgerFull));
        Assert.Equal(BitswapTransferTests.ExpectedSha256(4, 4L << 20), await BitswapTransferTests.Sha256OfAsync(b.Store, root));

        // Each flood is a strike: the fifth gets the flooder cut off.
        for (var i = 0; i < 4; i++)
        {
            await using var stream = await flooder.OpenAndWriteAsync(a.Host.PeerId, frame);
            await Assert.ThrowsAnyAsync<Exception>(async () => await stream.Input.ReadAsync().AsTask().WaitAsync(Timeout));
        }
        await Eventually.TrueAsync(() => !a.Host.IsConnected(flooder.Host.PeerId), "the flooder is disconnected");
        Assert.True(a.Host.IsConnected(b.Host.PeerId));
    }

    public static TheoryData<string, byte[]> OversizedFrames()
    {
        var block = new ProtoWriter();
        block.WriteBytes(1, CidPrefix.Of(TestBlocks.Raw(1, 8).Cid).Encode());
        block.WriteBytes(2, new byte[3 << 20]);
        var message = new ProtoWriter();
        message.WriteBytes(3, block.WrittenSpan);
        return new TheoryData<string, byte[]>
        {
            // Only the length prefix is sent: the refusal cannot wait for (or buffer) the body.
            { "a message declared as 64 MiB", Varint.Encode(64UL << 20) },
            { "a message declared one byte past 4 MiB", Varint.Encode((4UL << 20) + 1) },
            { "a 3 MiB block", [.. Varint.Encode((ulong)message.Length), .. message.WrittenSpan] },
            { "a malformed message", [3, 0x0A, 0x05, 0x01] },
        };
    }

    [Theory]
    [MemberData(nameof(OversizedFrames))]
    public async Task Oversized_and_malformed_messages_are_refused_and_the_stream_reset(string what, byte[] frame)
    {
        await using var a = await BitswapNode.StartAsync();
        await using var peer = await RawBitswapPeer.StartAsync();
        await peer.ConnectAsync(a.Host);

        await using var stream = await peer.OpenAndWriteAsync(a.Host.PeerId, frame);

        await Assert.ThrowsAsync<StreamResetException>(async () => await stream.Input.ReadAsync().AsTask().WaitAsync(Timeout));
        var reason = what == "a malformed message" ? BitswapRejectReason.MalformedMessage : BitswapRejectReason.LimitExceeded;
        Assert.Equal(1, a.Bitswap.Metrics.RejectedFor(reason));
        Assert.Equal(0, a.Bitswap.Metrics.MessagesReceived);
        Assert.True(a.Host.IsConnected(peer.Host.PeerId), "one violation is a strike, not a disconnect");
    }
}
