using System.Text;
using Overlay.PubSub;

namespace Overlay.Tests.PubSub;

/// <summary>Several in-process hosts exchanging messages over real TCP, Noise and yamux.</summary>
public sealed class PubSubNetworkTests
{
    [Theory]
    [InlineData(PubSubRouterKind.Floodsub)]
    [InlineData(PubSubRouterKind.Gossipsub)]
    public async Task A_line_of_four_delivers_every_message_once_to_every_subscriber(PubSubRouterKind router)
    {
        var nodes = await PubSubNode.StartManyAsync(4, PubSubNode.FastOptions(router));
        try
        {
            var subs = nodes.Select(n => n.PubSub.Subscribe("line")).ToArray();
            for (var i = 0; i < 3; i++)
            {
                await nodes[i].ConnectAsync(nodes[i + 1]);
            }
            await WaitForTopicPeersAsync(nodes, "line", [1, 2, 2, 1]);
            if (router == PubSubRouterKind.Gossipsub)
            {
                await PubSubNode.EventuallyAsync(() => nodes.All(n => n.PubSub.GetMeshPeers("line").Count >= 1), "meshes");
            }
            for (var i = 0; i < 5; i++)
            {
                nodes[i % 2 == 0 ? 0 : 3].PubSub.Publish("line", Encoding.UTF8.GetBytes($"m{i}"));
            }
            foreach (var (sub, node) in subs.Zip(nodes))
            {
                var own = node == nodes[0] ? 3 : node == nodes[3] ? 2 : 0;
                var got = await PubSubNode.ReadAsync(sub, 5 - own);
                Assert.Equal(got.Count, got.Select(m => Encoding.UTF8.GetString(m.Data.Span)).Distinct().Count());
                Assert.All(got, m => Assert.True(m.From == nodes[0].Host.PeerId || m.From == nodes[3].Host.PeerId));
            }
            await Task.Delay(300);
            Assert.All(subs, s => Assert.False(s.Messages.TryRead(out _), "a duplicate reached a subscriber"));
            Assert.All(nodes, n => Assert.Equal(0, n.PubSub.Metrics.InvalidSignatures));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_full_mesh_of_five_gossipsub_nodes_delivers_everything_and_suppresses_duplicates()
    {
        var nodes = await PubSubNode.StartManyAsync(5, PubSubNode.FastOptions(PubSubRouterKind.Gossipsub));
        try
        {
            var subs = nodes.Select(n => n.PubSub.Subscribe("all")).ToArray();
            for (var i = 0; i < nodes.Length; i++)
            {
                for (var j = i + 1; j < nodes.Length; j++)
                {
                    await nodes[i].ConnectAsync(nodes[j]);
                }
            }
            await WaitForTopicPeersAsync(nodes, "all", [4, 4, 4, 4, 4]);
            // Duplicates come from mesh forwarding, so wait for the meshes (flood publishing alone reaches everyone once).
            await PubSubNode.EventuallyAsync(() => nodes.All(n => n.PubSub.GetMeshPeers("all").Count >= 3), "meshes");
            foreach (var node in nodes)
            {
                for (var k = 0; k < 4; k++)
                {
                    node.PubSub.Publish("all", Encoding.UTF8.GetBytes($"{node.Host.PeerId}:{k}"));
                }
            }
            foreach (var sub in subs)
            {
                var got = await PubSubNode.ReadAsync(sub, 16);
                Assert.Equal(16, got.Select(m => Encoding.UTF8.GetString(m.Data.Span)).Distinct().Count());
            }
            await Task.Delay(300);
            Assert.All(subs, s => Assert.False(s.Messages.TryRead(out _)));
            Assert.True(nodes.Sum(n => n.PubSub.Metrics.Duplicates) > 0, "flood publishing in a full mesh must have produced suppressed duplicates");
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Publishing_to_a_topic_we_do_not_subscribe_uses_fanout_and_unsubscribing_stops_delivery()
    {
        var nodes = await PubSubNode.StartManyAsync(3, PubSubNode.FastOptions(PubSubRouterKind.Gossipsub) with
        {
            GossipSub = new Overlay.PubSub.Gossip.GossipSubParameters { HeartbeatInterval = TimeSpan.FromMilliseconds(100), FloodPublish = false },
        });
        try
        {
            var sub1 = nodes[1].PubSub.Subscribe("fan");
            var sub2 = nodes[2].PubSub.Subscribe("fan");
            await nodes[0].ConnectAsync(nodes[1]);
            await nodes[0].ConnectAsync(nodes[2]);
            await nodes[1].ConnectAsync(nodes[2]);
            await WaitForTopicPeersAsync(nodes[..1], "fan", [2]);
            nodes[0].PubSub.Publish("fan", "hello"u8);
            Assert.Equal("hello", Encoding.UTF8.GetString((await PubSubNode.ReadAsync(sub1, 1))[0].Data.Span));
            Assert.Equal("hello", Encoding.UTF8.GetString((await PubSubNode.ReadAsync(sub2, 1))[0].Data.Span));

            sub2.Dispose();
            await PubSubNode.EventuallyAsync(() => nodes[0].PubSub.GetPeers("fan").Count == 1, "unsubscribe to propagate");
            nodes[0].PubSub.Publish("fan", "again"u8);
            Assert.Equal("again", Encoding.UTF8.GetString((await PubSubNode.ReadAsync(sub1, 1))[0].Data.Span));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_message_of_the_maximum_data_size_fits_one_rpc_and_arrives_intact()
    {
        var nodes = await PubSubNode.StartManyAsync(2, PubSubNode.FastOptions(PubSubRouterKind.Gossipsub));
        try
        {
            var sub = nodes[1].PubSub.Subscribe("big");
            nodes[0].PubSub.Subscribe("big");
            await nodes[0].ConnectAsync(nodes[1]);
            await WaitForTopicPeersAsync(nodes, "big", [1, 1]);
            var data = new byte[new Overlay.PubSub.Rpc.RpcLimits().MaxDataSize];
            new Random(7).NextBytes(data);
            nodes[0].PubSub.Publish("big", data);
            Assert.Equal(data, (await PubSubNode.ReadAsync(sub, 1))[0].Data.ToArray());
            Assert.Equal(0, nodes[1].PubSub.Metrics.MalformedRpcs);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Ten_sparsely_connected_gossipsub_nodes_deliver_every_message_to_everyone()
    {
        var nodes = await PubSubNode.StartManyAsync(10, PubSubNode.FastOptions(PubSubRouterKind.Gossipsub));
        try
        {
            var subs = nodes.Select(n => n.PubSub.Subscribe("sparse")).ToArray();
            var random = new Random(10);
            var edges = new HashSet<(int, int)>();
            for (var i = 0; i < nodes.Length; i++)
            {
                edges.Add((i, (i + 1) % nodes.Length)); // a ring keeps the graph connected
                edges.Add((i, random.Next(nodes.Length)));
            }
            foreach (var (a, b) in edges.Where(e => e.Item1 != e.Item2))
            {
                await nodes[a].ConnectAsync(nodes[b]);
            }
            await PubSubNode.EventuallyAsync(() => nodes.All(n => n.PubSub.GetMeshPeers("sparse").Count >= 2), "meshes");
            for (var i = 0; i < 10; i++)
            {
                nodes[random.Next(nodes.Length)].PubSub.Publish("sparse", Encoding.UTF8.GetBytes($"s{i}"));
            }
            var total = 0;
            foreach (var (sub, node) in subs.Zip(nodes))
            {
                var expected = 10 - (int)node.PubSub.Metrics.Published;
                var got = await PubSubNode.ReadAsync(sub, expected);
                Assert.Equal(expected, got.Select(m => Encoding.UTF8.GetString(m.Data.Span)).Distinct().Count());
                total += got.Count;
            }
            Assert.Equal(90, total);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    internal static Task WaitForTopicPeersAsync(PubSubNode[] nodes, string topic, int[] expected) =>
        PubSubNode.EventuallyAsync(
            () => nodes.Select((n, i) => n.PubSub.GetPeers(topic).Count >= expected[i]).All(x => x),
            $"topic peers {string.Join(",", expected)}");
}
