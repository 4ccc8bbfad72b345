using Overlay.PubSub;
using Overlay.PubSub.Gossip;
using Overlay.PubSub.Rpc;

namespace Overlay.Tests.PubSub;

public sealed class GossipSubMeshTests
{
    [Fact]
    public async Task A_prune_with_peer_exchange_makes_us_connect_to_the_offered_peer()
    {
        await using var victim = await PubSubNode.StartAsync(PubSubNode.FastOptions(PubSubRouterKind.Gossipsub));
        await using var offered = await PubSubNode.StartAsync(PubSubNode.FastOptions(PubSubRouterKind.Gossipsub));
        victim.PubSub.Subscribe("px");
        offered.PubSub.Subscribe("px");
        // PX entries here carry no signed peer record, so the address must already be in the peer store.
        victim.Host.Peers.AddAddresses(offered.Host.PeerId, [offered.Host.ListenAddresses[0]]);
        await using var pruner = await HostilePeer.ConnectAsync(victim);
        await pruner.SendAsync(new PubSubRpc
        {
            Subscriptions = [new SubscriptionChange(true, "px")],
            Control = new ControlMessage { Prune = [new ControlPrune("px", [new PeerExchangeEntry(offered.Host.PeerId.ToArray(), null)], 60)] },
        });
        await PubSubNode.EventuallyAsync(() => victim.PubSub.GetMeshPeers("px").Contains(offered.Host.PeerId), "offered peer connected and grafted");
        // The pruner's backoff is honoured: the heartbeat does not graft it back.
        await Task.Delay(400);
        Assert.DoesNotContain(pruner.PeerId, victim.PubSub.GetMeshPeers("px"));
    }

    [Fact]
    public async Task Mesh_sizes_stay_within_d_low_and_d_high_and_our_prunes_carry_backoff_and_peers()
    {
        var options = PubSubNode.FastOptions(PubSubRouterKind.Gossipsub) with
        {
            GossipSub = new GossipSubParameters { HeartbeatInterval = TimeSpan.FromMilliseconds(100), D = 3, DLow = 2, DHigh = 4, DLazy = 3 },
        };
        var nodes = await PubSubNode.StartManyAsync(7, options);
        try
        {
            foreach (var node in nodes)
            {
                node.PubSub.Subscribe("m");
            }
            for (var i = 0; i < nodes.Length; i++)
            {
                for (var j = i + 1; j < nodes.Length; j++)
                {
                    await nodes[i].ConnectAsync(nodes[j]);
                }
            }
            await PubSubNode.EventuallyAsync(() => nodes.All(n => n.PubSub.GetPeers("m").Count == 6), "all subscriptions known");
            await Task.Delay(1000);
            await PubSubNode.EventuallyAsync(() => nodes.All(n => n.PubSub.GetMeshPeers("m").Count is >= 2 and <= 4), "meshes within bounds");
            var sub = nodes[6].PubSub.Subscribe("m");
            nodes[0].PubSub.Publish("m", "meshed"u8);
            Assert.Equal("meshed"u8.ToArray(), (await PubSubNode.ReadAsync(sub, 1))[0].Data.ToArray());
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
