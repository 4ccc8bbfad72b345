using Overlay.Bitswap;
using Overlay.Bitswap.Messages;

namespace Overlay.Tests.Bitswap;

/// <summary>How the client moves wants between peers: DONT_HAVE, silence, cancels, late peers.</summary>
public sealed class BitswapClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_peer_without_the_block_says_DONT_HAVE_and_one_with_it_serves_it()
    {
        await using var empty = await BitswapNode.StartAsync();
        await using var holder = await BitswapNode.StartAsync();
        await using var b = await BitswapNode.StartAsync();
        var (cid, data) = TestBlocks.Raw(40);
        await holder.Bitswap.LocalStore.PutAsync(cid, data);
        await b.ConnectAsync(empty.Host);
        await b.ConnectAsync(holder.Host);

        var block = await b.Bitswap.Client.GetBlockAsync(cid).WaitAsync(Timeout);

        Assert.Equal(data, block.ToArray());
        Assert.True(await b.Store.HasAsync(cid));
        await Eventually.TrueAsync(() => b.Bitswap.Metrics.DontHavesReceived >= 1, "the empty peer said DONT_HAVE");
        Assert.Equal(0, empty.Bitswap.Metrics.BlocksSent);
    }

    [Fact]
    public async Task A_silent_peer_is_passed_over_after_the_block_timeout_and_cancels_follow_the_block()
    {
        await using var silent = await RawBitswapPeer.StartAsync();
        silent.OnMessage = (peer, message) => message.Wantlist.Any(e => e.WantType == BitswapWantType.Have && !e.Cancel)
            ? silent.SendAsync(peer, new BitswapMessage { Presences = message.Wantlist.Where(e => !e.Cancel).Select(e => new BitswapBlockPresence(e.Cid, BitswapPresenceType.Have)).ToArray() })
            : Task.CompletedTask;
        await using var holder = await BitswapNode.StartAsync();
        await using var b = await BitswapNode.StartAsync(options: new BitswapOptions { BlockTimeout = TimeSpan.FromMilliseconds(300) });
        var (cid, data) = TestBlocks.Raw(41);
        await holder.Bitswap.LocalStore.PutAsync(cid, data);
        await b.ConnectAsync(silent.Host);

        var fetch = b.Bitswap.Client.GetBlockAsync(cid);
        await silent.NextAsync(Timeout, m => m.Wantlist.Any(e => e.WantType == BitswapWantType.Block && e.Cid == cid));
        await b.ConnectAsync(holder.Host);

        Assert.Equal(data, (await fetch.WaitAsync(Timeout)).ToArray());
        var cancel = await silent.NextAsync(Timeout, m => m.Wantlist.Any(e => e.Cancel));
        Assert.Equal(cid, Assert.Single(cancel.Wantlist).Cid);
        Assert.Empty(b.Bitswap.Client.Wantlist);
    }

    [Fact]
    public async Task A_want_nobody_can_serve_waits_for_a_peer_that_can()
    {
        await using var holder = await BitswapNode.StartAsync();
        await using var b = await BitswapNode.StartAsync();
        var (cid, data) = TestBlocks.Raw(42);
        await holder.Bitswap.LocalStore.PutAsync(cid, data);

        var fetch = b.Bitswap.Client.GetBlockAsync(cid);
        Assert.Equal([cid], b.Bitswap.Client.Wantlist);
        await b.ConnectAsync(holder.Host);

        Assert.Equal(data, (await fetch.WaitAsync(Timeout)).ToArray());
    }

    [Fact]
    public async Task Cancelling_a_fetch_withdraws_the_want_from_the_peers_asked()
    {
        await using var a = await BitswapNode.StartAsync();
        await using var b = await BitswapNode.StartAsync();
        await b.ConnectAsync(a.Host);
        var (cid, _) = TestBlocks.Raw(43);
        using var cancel = new CancellationTokenSource();

        var fetch = b.Bitswap.Client.GetBlockAsync(cid, cancel.Token);
        await Eventually.TrueAsync(() => a.Bitswap.Server.WantlistOf(b.Host.PeerId).Any(e => e.Cid == cid), "a holds b's want");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);
        Assert.Empty(b.Bitswap.Client.Wantlist);
        await Eventually.TrueAsync(() => a.Bitswap.Server.WantlistOf(b.Host.PeerId).Count == 0, "the cancel reached a");
    }

    [Fact]
    public async Task GetBlocksAsync_yields_every_block_once()
    {
        await using var a = await BitswapNode.StartAsync();
        await using var b = await BitswapNode.StartAsync(options: new BitswapOptions { MaxOutstandingWants = 4 });
        var blocks = Enumerable.Range(0, 20).Select(i => TestBlocks.Raw(50 + (ulong)i, 10_000)).ToArray();
        foreach (var (cid, data) in blocks)
        {
            await a.Bitswap.LocalStore.PutAsync(cid, data);
        }
        await b.ConnectAsync(a.Host);

        var fetched = new List<Overlay.Bitswap.Client.FetchedBlock>();
        await foreach (var block in b.Bitswap.Client.GetBlocksAsync(blocks.Select(x => x.Cid)).WithCancellation(new CancellationTokenSource(Timeout).Token))
        {
            fetched.Add(block);
        }

        Assert.Equal(blocks.Select(x => x.Cid).Order(), fetched.Select(f => f.Cid).Order());
        Assert.All(fetched, f => Assert.True(f.Cid.Matches(f.Data.Span)));
    }

    [Fact]
    public async Task A_fetched_block_is_forwarded_to_a_peer_that_wanted_it_from_us()
    {
        await using var source = await BitswapNode.StartAsync();
        await using var relay = await BitswapNode.StartAsync();
        await using var sink = await RawBitswapPeer.StartAsync();
        var (cid, data) = TestBlocks.Raw(44);
        await source.Bitswap.LocalStore.PutAsync(cid, data);
        await sink.ConnectAsync(relay.Host);
        await sink.SendAsync(relay.Host.PeerId, new BitswapMessage { Wantlist = [BitswapWantlistEntry.WantBlock(cid, sendDontHave: false)] });
        await Eventually.TrueAsync(() => relay.Bitswap.Server.WantlistOf(sink.Host.PeerId).Count == 1, "the relay holds the sink's want");

        await relay.ConnectAsync(source.Host);
        await relay.Bitswap.Client.GetBlockAsync(cid).WaitAsync(Timeout);

        var forwarded = await sink.NextAsync(Timeout, m => m.Blocks.Count > 0);
        Assert.Equal(data, Assert.Single(forwarded.Blocks).Data.ToArray());
    }
}
