using System.Text;
using System.Text.Json;
using Overlay.Manifest.Multiformats;
using Overlay.Tests.Shared;

namespace Overlay.Cli.Tests.Daemon;

/// <summary>
/// <c>overlay pubsub</c> between two of our daemons and between our daemon and a js-libp2p 3
/// gossipsub node (tests/js/pubsub-peer.mjs), both ways. Messages are StrictSign: ours only
/// reach a subscription after their signature checked out, js reports it checked them.
/// </summary>
public sealed class DaemonPubSubTests : TwoDaemonsTest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);


    [Fact]
    public async Task Pub_on_one_daemon_reaches_sub_on_the_other_and_both_ways()
    {
        const string topic = "video/chat ünïcode";
        (await A.RunAsync("swarm", "connect", DaemonB.SwarmAddress.ToString())).AssertSuccess();
        await using var subB = new BackgroundCommand(B, "pubsub", "sub", topic);
        await using var subA = new BackgroundCommand(A, "pubsub", "sub", "--json", topic);
        await EventuallyAsync(() => A.RunAsync("pubsub", "peers", topic), r => r.Text.Contains(DaemonB.PeerId, StringComparison.Ordinal));
        await EventuallyAsync(() => B.RunAsync("pubsub", "peers", topic), r => r.Text.Contains(DaemonA.PeerId, StringComparison.Ordinal));
        Assert.Equal($"{topic}\n", (await A.RunAsync("pubsub", "ls")).AssertSuccess().Text);

        (await A.RunAsync("pubsub", "pub", topic, "hello from A")).AssertSuccess();
        (await B.RunWithInputAsync(Encoding.UTF8.GetBytes("from B's stdin"), "pubsub", "pub", topic)).AssertSuccess();

        // Each sub sees the other daemon's message; a node's own messages are not echoed to it (js-libp2p's emitSelf: false).
        Assert.Equal(["hello from A"], await subB.WaitForLinesAsync(1, Timeout));
        var fromB = JsonDocument.Parse(Assert.Single(await subA.WaitForLinesAsync(1, Timeout))).RootElement;
        Assert.Equal(DaemonB.PeerId, fromB.GetProperty("from").GetString());
        Assert.Equal("from B's stdin", Encoding.UTF8.GetString(Multibase.Decode(fromB.GetProperty("data").GetString()!)));
        Assert.Equal(topic, Encoding.UTF8.GetString(Multibase.Decode(fromB.GetProperty("topicIDs")[0].GetString()!)));
        Assert.Equal(8, Multibase.Decode(fromB.GetProperty("seqno").GetString()!).Length);
    }

    [Fact]
    public async Task Pubsub_with_a_js_libp2p_gossipsub_node_both_ways()
    {
        const string topic = "overlay-js";
        var js = JsProcess.Start("pubsub-peer.mjs", "--router", "gossipsub");
        await using var _ = js;
        var ready = await js.WaitForEventAsync(e => (string?)e["event"] == "ready", Timeout);
        var jsPeer = (string)ready["peerId"]!;
        await js.CommandAsync("subscribe", new { topic }, Timeout);
        await using var sub = new BackgroundCommand(A, "pubsub", "sub", "--json", topic);
        await EventuallyAsync(() => A.RunAsync("pubsub", "ls"), r => r.Text.Contains(topic, StringComparison.Ordinal));
        (await A.RunAsync("swarm", "connect", (string)ready["addrs"]![0]!)).AssertSuccess();
        await EventuallyAsync(() => A.RunAsync("pubsub", "peers", topic), r => r.Text.Contains(jsPeer, StringComparison.Ordinal));
        await EventuallyAsync(async () => (await js.CommandAsync("subscribers", new { topic }, Timeout))["peers"]!.ToJsonString(), t => t.Contains(DaemonA.PeerId, StringComparison.Ordinal));

        (await A.RunAsync("pubsub", "pub", topic, "from our daemon")).AssertSuccess();
        var received = await js.WaitForEventAsync(e => (string?)e["event"] == "message", Timeout);
        Assert.Equal("from our daemon", (string?)received["data"]);
        Assert.Equal(DaemonA.PeerId, (string?)received["from"]);
        Assert.True((bool)received["signed"]!);

        // Gossipsub needs a mesh (or fanout) peer: retry until js has one for the topic.
        await EventuallyAsync(async () => (int)(await js.CommandAsync("publish", new { topic, data = "from js" }, Timeout))["recipients"]!, n => n > 0);
        var line = JsonDocument.Parse((await sub.WaitForLinesAsync(1, Timeout))[0]).RootElement;
        Assert.Equal(jsPeer, line.GetProperty("from").GetString());
        Assert.Equal("from js", Encoding.UTF8.GetString(Multibase.Decode(line.GetProperty("data").GetString()!)));
    }

    [Fact]
    public async Task A_ring_of_two_daemons_and_two_js_gossipsub_nodes_delivers_every_message_to_every_other_node_once()
    {
        const string topic = "ring";
        var js1 = JsProcess.Start("pubsub-peer.mjs", "--router", "gossipsub");
        await using var _1 = js1;
        var js2 = JsProcess.Start("pubsub-peer.mjs", "--router", "gossipsub");
        await using var _2 = js2;
        var ready1 = await js1.WaitForEventAsync(e => (string?)e["event"] == "ready", Timeout);
        var ready2 = await js2.WaitForEventAsync(e => (string?)e["event"] == "ready", Timeout);
        await js1.CommandAsync("subscribe", new { topic }, Timeout);
        await js2.CommandAsync("subscribe", new { topic }, Timeout);
        await using var subA = new BackgroundCommand(A, "pubsub", "sub", topic);
        await using var subB = new BackgroundCommand(B, "pubsub", "sub", topic);
        await EventuallyAsync(() => A.RunAsync("pubsub", "ls"), r => r.Text.Contains(topic, StringComparison.Ordinal));
        await EventuallyAsync(() => B.RunAsync("pubsub", "ls"), r => r.Text.Contains(topic, StringComparison.Ordinal));

        // A ring A - B - js2 - js1 - A: every message has to be forwarded by someone of the other kind.
        (await A.RunAsync("swarm", "connect", DaemonB.SwarmAddress.ToString())).AssertSuccess();
        (await B.RunAsync("swarm", "connect", (string)ready2["addrs"]![0]!)).AssertSuccess();
        await js2.CommandAsync("dial", new { addr = (string)ready1["addrs"]![0]! }, Timeout);
        await js1.CommandAsync("dial", new { addr = DaemonA.SwarmAddress.ToString() }, Timeout);
        // Each js node has grafted both of its neighbours (so they grafted it back); our own pair meshes on its heartbeat.
        await EventuallyAsync(async () => (await js1.CommandAsync("mesh", new { topic }, Timeout))["peers"]!.AsArray().Count, n => n == 2);
        await EventuallyAsync(async () => (await js2.CommandAsync("mesh", new { topic }, Timeout))["peers"]!.AsArray().Count, n => n == 2);
        await EventuallyAsync(() => A.RunAsync("pubsub", "peers", topic), r => r.Lines.Length == 2);
        await Task.Delay(TimeSpan.FromSeconds(3));

        (await A.RunAsync("pubsub", "pub", topic, "from A")).AssertSuccess();
        (await B.RunAsync("pubsub", "pub", topic, "from B")).AssertSuccess();
        await js1.CommandAsync("publish", new { topic, data = "from js1" }, Timeout);
        await js2.CommandAsync("publish", new { topic, data = "from js2" }, Timeout);

        Assert.Equal(["from B", "from js1", "from js2"], (await subA.WaitForLinesAsync(3, Timeout)).Order(StringComparer.Ordinal));
        Assert.Equal(["from A", "from js1", "from js2"], (await subB.WaitForLinesAsync(3, Timeout)).Order(StringComparer.Ordinal));
        Assert.Equal(["from A", "from B", "from js2"], await ReceivedAsync(js1, 3));
        Assert.Equal(["from A", "from B", "from js1"], await ReceivedAsync(js2, 3));
        // Exactly once: nothing more arrives at our subscribers.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(3, subA.Lines.Length);
        Assert.Equal(3, subB.Lines.Length);
    }

    /// <summary>The data of the next <paramref name="count"/> messages js delivered, each with a checked signature, sorted.</summary>
    private static async Task<string[]> ReceivedAsync(JsProcess js, int count)
    {
        var data = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var message = await js.WaitForEventAsync(e => (string?)e["event"] == "message", Timeout);
            Assert.True((bool)message["signed"]!);
            data.Add((string)message["data"]!);
        }
        return data.Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public async Task A_daemon_configured_for_floodsub_talks_to_a_js_floodsub_node_both_ways()
    {
        const string topic = "flood";
        using var cli = new CliHarness();
        await cli.InitAsync();
        SetRouter(cli, "floodsub");
        await using var daemon = await InProcessDaemon.StartAsync(cli);
        var protocols = (await cli.RunAsync("id", "--json")).AssertSuccess().Text;
        Assert.Contains("/floodsub/1.0.0", protocols, StringComparison.Ordinal);
        Assert.DoesNotContain("/meshsub/", protocols, StringComparison.Ordinal);

        var js = JsProcess.Start("pubsub-peer.mjs", "--router", "floodsub");
        await using var _ = js;
        var ready = await js.WaitForEventAsync(e => (string?)e["event"] == "ready", Timeout);
        await js.CommandAsync("subscribe", new { topic }, Timeout);
        await using var sub = new BackgroundCommand(cli, "pubsub", "sub", topic);
        await EventuallyAsync(() => cli.RunAsync("pubsub", "ls"), r => r.Text.Contains(topic, StringComparison.Ordinal));
        (await cli.RunAsync("swarm", "connect", (string)ready["addrs"]![0]!)).AssertSuccess();
        await EventuallyAsync(() => cli.RunAsync("pubsub", "peers", topic), r => r.Text.Contains((string)ready["peerId"]!, StringComparison.Ordinal));
        await EventuallyAsync(async () => (await js.CommandAsync("subscribers", new { topic }, Timeout))["peers"]!.ToJsonString(), t => t.Contains(daemon.PeerId, StringComparison.Ordinal));

        (await cli.RunAsync("pubsub", "pub", topic, "over floodsub")).AssertSuccess();
        var received = await js.WaitForEventAsync(e => (string?)e["event"] == "message", Timeout);
        Assert.Equal("over floodsub", (string?)received["data"]);
        Assert.True((bool)received["signed"]!);
        await js.CommandAsync("publish", new { topic, data = "flooded back" }, Timeout);
        Assert.Equal(["flooded back"], await sub.WaitForLinesAsync(1, Timeout));
    }

    [Fact]
    public async Task A_config_without_the_pubsub_key_gets_gossipsub_and_an_unknown_router_is_one_line()
    {
        using var cli = new CliHarness();
        await cli.InitAsync();
        SetRouter(cli, null);
        await using (await InProcessDaemon.StartAsync(cli))
        {
            Assert.Contains("/meshsub/1.1.0", (await cli.RunAsync("id")).AssertSuccess().Text, StringComparison.Ordinal);
        }
        SetRouter(cli, "randomsub");
        (await cli.RunAsync(["daemon", .. InProcessDaemon.EphemeralPorts])).AssertOneLineError("Pubsub.Router \"randomsub\" is not a router this node has");
    }

    /// <summary>Sets <c>Pubsub.Router</c> in the repo's config, or removes the section (a config from before it existed).</summary>
    private static void SetRouter(CliHarness cli, string? router)
    {
        var path = Path.Combine(cli.RepoPath, "config.json");
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        config.Remove("Pubsub");
        if (router is not null)
        {
            config["Pubsub"] = new System.Text.Json.Nodes.JsonObject { ["Router"] = router };
        }
        File.WriteAllText(path, config.ToJsonString());
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {Timeout}; last: {value}");
            await Task.Delay(100);
        }
    }
}
