using System.Text;
using System.Text.Json.Nodes;
using Overlay.Addressing;
using Overlay.Manifest.Keys;
using Overlay.PubSub;
using Overlay.Tests.Shared;

namespace Overlay.Tests.PubSub;

/// <summary>
/// Our pubsub against real js-libp2p 3 nodes (@libp2p/gossipsub 17, @libp2p/floodsub 11) running
/// tests/js/pubsub-peer.mjs. js only delivers messages whose StrictSign signature it verified, and
/// we only deliver ones we verified, so delivery both ways shows each side checks the other's signatures.
/// </summary>
public sealed class JsPubSubInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(PubSubRouterKind.Floodsub, "floodsub")]
    [InlineData(PubSubRouterKind.Gossipsub, "gossipsub")]
    [InlineData(PubSubRouterKind.Gossipsub, "floodsub")] // our gossipsub serves floodsub peers by flooding
    [InlineData(PubSubRouterKind.Floodsub, "gossipsub")] // js gossipsub falls back to /floodsub/1.0.0
    public async Task We_and_a_js_node_exchange_signed_messages_both_ways(PubSubRouterKind router, string jsRouter)
    {
        await using var node = await PubSubNode.StartAsync(PubSubNode.FastOptions(router));
        await using var js = JsProcess.Start("pubsub-peer.mjs", "--router", jsRouter);
        var jsPeer = await ReadyAsync(js);
        var sub = node.PubSub.Subscribe("interop");
        await js.CommandAsync("subscribe", new { topic = "interop" }, Timeout);
        await js.CommandAsync("dial", new { addr = node.Address.ToString() }, Timeout);

        await PubSubNode.EventuallyAsync(() => node.PubSub.GetPeers("interop").Contains(jsPeer.Id), "js subscription to reach us", Timeout);
        await EventuallyJsAsync(js, "subscribers", "interop", node.Host.PeerId);
        if (router == PubSubRouterKind.Gossipsub && jsRouter == "gossipsub")
        {
            await PubSubNode.EventuallyAsync(() => node.PubSub.GetMeshPeers("interop").Contains(jsPeer.Id), "js in our mesh", Timeout);
            await EventuallyJsAsync(js, "mesh", "interop", node.Host.PeerId);
        }

        for (var i = 0; i < 3; i++)
        {
            node.PubSub.Publish("interop", Encoding.UTF8.GetBytes($"from-cs-{i}"));
        }
        var seen = new HashSet<string>();
        while (seen.Count < 3)
        {
            var e = await js.WaitForEventAsync(e => (string?)e["event"] == "message", Timeout);
            Assert.Equal(node.Host.PeerId.ToString(), (string?)e["from"]);
            Assert.True((bool)e["signed"]!);
            seen.Add((string)e["data"]!);
        }
        Assert.Equal(["from-cs-0", "from-cs-1", "from-cs-2"], seen.Order());

        // Enough messages that js floodsub's variable-length seqno (one in 256 is shorter than 8 bytes) shows up often.
        const int FromJs = 300;
        for (var i = 0; i < FromJs; i++)
        {
            var published = await js.CommandAsync("publish", new { topic = "interop", data = $"from-js-{i:D3}" }, Timeout);
            Assert.Equal(1, (int)published["recipients"]!);
        }
        var got = await PubSubNode.ReadAsync(sub, FromJs, Timeout);
        Assert.All(got, m => Assert.Equal(jsPeer.Id, m.From));
        Assert.Equal(Enumerable.Range(0, FromJs).Select(i => $"from-js-{i:D3}"), got.Select(m => Encoding.UTF8.GetString(m.Data.Span)).Order());
        Assert.Equal(0, node.PubSub.Metrics.InvalidSignatures);
    }

    [Fact]
    public async Task A_ring_of_two_js_and_two_csharp_gossipsub_nodes_delivers_every_message_to_every_subscriber()
    {
        await using var cs1 = await PubSubNode.StartAsync(PubSubNode.FastOptions(PubSubRouterKind.Gossipsub));
        await using var cs2 = await PubSubNode.StartAsync(PubSubNode.FastOptions(PubSubRouterKind.Gossipsub));
        await using var js1 = JsProcess.Start("pubsub-peer.mjs");
        await using var js2 = JsProcess.Start("pubsub-peer.mjs");
        var (j1, j2) = (await ReadyAsync(js1), await ReadyAsync(js2));
        var subs = new[] { cs1.PubSub.Subscribe("ring"), cs2.PubSub.Subscribe("ring") };
        await js1.CommandAsync("subscribe", new { topic = "ring" }, Timeout);
        await js2.CommandAsync("subscribe", new { topic = "ring" }, Timeout);

        // Ring cs1 - js1 - cs2 - js2 - cs1: every message needs forwarding by both implementations.
        await js1.CommandAsync("dial", new { addr = cs1.Address.ToString() }, Timeout);
        await js1.CommandAsync("dial", new { addr = cs2.Address.ToString() }, Timeout);
        await cs2.Host.ConnectAsync(j2.Address).WaitAsync(Timeout);
        await cs1.Host.ConnectAsync(j2.Address).WaitAsync(Timeout);
        await PubSubNode.EventuallyAsync(() => cs1.PubSub.GetMeshPeers("ring").Count == 2 && cs2.PubSub.GetMeshPeers("ring").Count == 2, "C# meshes", Timeout);
        await EventuallyJsAsync(js1, "mesh", "ring", cs1.Host.PeerId, cs2.Host.PeerId);
        await EventuallyJsAsync(js2, "mesh", "ring", cs1.Host.PeerId, cs2.Host.PeerId);

        cs1.PubSub.Publish("ring", "cs1-a"u8);
        cs2.PubSub.Publish("ring", "cs2-a"u8);
        await js1.CommandAsync("publish", new { topic = "ring", data = "js1-a" }, Timeout);
        await js2.CommandAsync("publish", new { topic = "ring", data = "js2-a" }, Timeout);
        string[] all = ["cs1-a", "cs2-a", "js1-a", "js2-a"];

        var got1 = await PubSubNode.ReadAsync(subs[0], 3, Timeout);
        var got2 = await PubSubNode.ReadAsync(subs[1], 3, Timeout);
        Assert.Equal(all.Where(d => d != "cs1-a"), got1.Select(m => Encoding.UTF8.GetString(m.Data.Span)).Order());
        Assert.Equal(all.Where(d => d != "cs2-a"), got2.Select(m => Encoding.UTF8.GetString(m.Data.Span)).Order());
        Assert.Equal(j1.Id, got1.Single(m => Encoding.UTF8.GetString(m.Data.Span) == "js1-a").From);
        Assert.Equal(cs2.Host.PeerId, got1.Single(m => Encoding.UTF8.GetString(m.Data.Span) == "cs2-a").From);
        Assert.Equal(all.Where(d => d != "js1-a"), await JsMessagesAsync(js1, 3));
        Assert.Equal(all.Where(d => d != "js2-a"), await JsMessagesAsync(js2, 3));
        await Task.Delay(500);
        Assert.All(subs, s => Assert.False(s.Messages.TryRead(out _), "a duplicate reached a subscriber"));

        // 1 KiB messages: past both sides' IDONTWANT threshold (512 B), so /meshsub/1.2.0 control flows both ways.
        var pad = new string('x', 1024);
        cs1.PubSub.Publish("ring", Encoding.UTF8.GetBytes(pad + "cs1-b"));
        await js1.CommandAsync("publish", new { topic = "ring", data = pad + "js1-b" }, Timeout);
        Assert.Equal([pad + "js1-b"], (await PubSubNode.ReadAsync(subs[0], 1, Timeout)).Select(m => Encoding.UTF8.GetString(m.Data.Span)));
        Assert.Equal([pad + "cs1-b", pad + "js1-b"], (await PubSubNode.ReadAsync(subs[1], 2, Timeout)).Select(m => Encoding.UTF8.GetString(m.Data.Span)).Order());
        Assert.Equal([pad + "cs1-b"], await JsMessagesAsync(js1, 1));
        Assert.Equal([pad + "cs1-b", pad + "js1-b"], await JsMessagesAsync(js2, 2));
        await PubSubNode.EventuallyAsync(() => cs1.PubSub.Metrics.IDontWantReceived + cs2.PubSub.Metrics.IDontWantReceived > 0, "js's IDONTWANT reached us", Timeout);
        Assert.True(cs1.PubSub.Metrics.IDontWantSent + cs2.PubSub.Metrics.IDontWantSent > 0, "we sent no IDONTWANT");
        await Task.Delay(500);
        Assert.All(subs, s => Assert.False(s.Messages.TryRead(out _), "a duplicate reached a subscriber"));
    }

    [Fact]
    public async Task Js_drops_messages_whose_signature_does_not_verify_and_delivers_the_valid_one()
    {
        await using var js = JsProcess.Start("pubsub-peer.mjs");
        var jsPeer = await ReadyAsync(js);
        await js.CommandAsync("subscribe", new { topic = "sig" }, Timeout);
        await using var sender = await HostilePeer.ConnectAsync(jsPeer.Address, jsPeer.Id);
        await sender.SendAsync(new Overlay.PubSub.Rpc.PubSubRpc { Subscriptions = [new Overlay.PubSub.Rpc.SubscriptionChange(true, "sig")] });
        var valid = MessageSigning.Sign(sender.Identity, "sig", "valid"u8, 2);
        var tampered = MessageSigning.Sign(sender.Identity, "sig", "original"u8, 1) with { Data = "tampered"u8.ToArray() };
        var unsigned = valid with { Seqno = [0, 0, 0, 0, 0, 0, 0, 3], Signature = null };
        await sender.SendAsync(new Overlay.PubSub.Rpc.PubSubRpc { Messages = [tampered, unsigned, valid] });
        var e = await js.WaitForEventAsync(e => (string?)e["event"] == "message", Timeout);
        Assert.Equal("valid", (string?)e["data"]);
        Assert.Equal(sender.PeerId.ToString(), (string?)e["from"]);
        await Assert.ThrowsAsync<TimeoutException>(() => js.WaitForEventAsync(e => (string?)e["event"] == "message", TimeSpan.FromSeconds(1)));
    }

    private static async Task<string[]> JsMessagesAsync(JsProcess js, int count)
    {
        var data = new List<string>();
        while (data.Count < count)
        {
            var e = await js.WaitForEventAsync(e => (string?)e["event"] == "message", Timeout);
            Assert.True((bool)e["signed"]!);
            data.Add((string)e["data"]!);
        }
        return data.Order().ToArray();
    }

    private static async Task<(PeerId Id, Multiaddr Address)> ReadyAsync(JsProcess js)
    {
        var ready = await js.WaitForEventAsync(e => (string?)e["event"] == "ready", Timeout);
        return (PeerId.Parse((string)ready["peerId"]!), Multiaddr.Parse((string)ready["addrs"]![0]!));
    }

    /// <summary>Polls a js list command until it names every one of <paramref name="peers"/>.</summary>
    private static async Task EventuallyJsAsync(JsProcess js, string command, string topic, params PeerId[] peers)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var answer = await js.CommandAsync(command, new { topic }, Timeout);
            var listed = answer["peers"]!.AsArray().Select(p => (string?)p).ToHashSet();
            if (peers.All(p => listed.Contains(p.ToString())))
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"js {command} for {topic} never listed {string.Join(", ", peers.Select(p => p.ToString()))}; got {string.Join(", ", listed)}");
            }
            await Task.Delay(100);
        }
    }
}
