using Overlay.PubSub;
using Overlay.PubSub.Gossip;
using Overlay.PubSub.Rpc;

namespace Overlay.Tests.PubSub;

/// <summary>Gossipsub v1.2 IDONTWANT against raw peers that speak <c>/meshsub/1.2.0</c>.</summary>
[Collection(SerialPubSubCollection.Name)]
public sealed class IDontWantTests
{
    private static async Task<HostilePeer> MeshPeerAsync(PubSubNode victim, string protocol = GossipSubRouter.ProtocolV12)
    {
        var peer = await HostilePeer.ConnectAsync(victim, protocol);
        await peer.SendAsync(new PubSubRpc { Subscriptions = [new SubscriptionChange(true, "t")], Control = new ControlMessage { Graft = [new ControlGraft("t")] } });
        await PubSubNode.EventuallyAsync(() => victim.PubSub.GetMeshPeers("t").Contains(peer.PeerId), "raw peer grafted");
        return peer;
    }

    private static bool Got(HostilePeer peer, byte[] id) =>
        peer.Received.Any(r => r.Messages.Any(m => MessageSigning.MessageId(m).AsSpan().SequenceEqual(id)));

    private static bool ToldDontWant(HostilePeer peer, byte[] id) =>
        peer.Received.Any(r => r.Control?.IDontWant.Any(d => d.MessageIds.Any(i => i.AsSpan().SequenceEqual(id))) == true);

    [Fact]
    public async Task A_mesh_peer_that_said_idontwant_is_skipped_and_large_first_copies_are_announced_to_v12_mesh_peers()
    {
        await using var victim = await PubSubNode.StartAsync(PubSubNode.FastOptions(PubSubRouterKind.Gossipsub));
        var sub = victim.PubSub.Subscribe("t");
        await using var wants = await MeshPeerAsync(victim);
        await using var skips = await MeshPeerAsync(victim);
        await using var older = await MeshPeerAsync(victim, GossipSubRouter.ProtocolV11);
        await using var author = await HostilePeer.ConnectAsync(victim);
        await author.SendAsync(new PubSubRpc { Subscriptions = [new SubscriptionChange(true, "t")] });

        var large = MessageSigning.Sign(author.Identity, "t", new byte[1024], 1);
        var largeId = MessageSigning.MessageId(large);
        await skips.SendAsync(new PubSubRpc { Control = new ControlMessage { IDontWant = [new ControlIDontWant([largeId])] } });
        // RPCs on one stream are handled in order: once this subscription shows, the IDONTWANT was handled.
        await skips.SendAsync(new PubSubRpc { Subscriptions = [new SubscriptionChange(true, "barrier")] });
        await PubSubNode.EventuallyAsync(() => victim.PubSub.GetPeers("barrier").Contains(skips.PeerId), "IDONTWANT handled");
        await author.SendAsync(new PubSubRpc { Messages = [large] });
        await PubSubNode.ReadAsync(sub, 1);
        await PubSubNode.EventuallyAsync(() => Got(wants, largeId) && Got(older, largeId), "forwarded to the peers that did not decline");
        await PubSubNode.EventuallyAsync(() => ToldDontWant(wants, largeId) && ToldDontWant(skips, largeId), "IDONTWANT sent to the v1.2 mesh peers");

        // A small message is forwarded to everyone and announced to no one.
        var small = MessageSigning.Sign(author.Identity, "t", new byte[100], 2);
        var smallId = MessageSigning.MessageId(small);
        await author.SendAsync(new PubSubRpc { Messages = [small] });
        await PubSubNode.ReadAsync(sub, 1);
        await PubSubNode.EventuallyAsync(() => Got(wants, smallId) && Got(skips, smallId) && Got(older, smallId), "small message forwarded to all");

        Assert.False(Got(skips, largeId), "a peer that said IDONTWANT got the message");
        Assert.False(ToldDontWant(older, largeId), "a v1.1 peer got a v1.2 control message");
        Assert.False(ToldDontWant(author, largeId), "the source was told it sent something we have");
        Assert.False(ToldDontWant(wants, smallId), "IDONTWANT for a message under the size threshold");
    }

    [Fact]
    public async Task Idontwant_ids_past_the_per_heartbeat_budget_are_counted_and_not_remembered()
    {
        var options = PubSubNode.FastOptions(PubSubRouterKind.Gossipsub);
        options = options with { GossipSub = options.GossipSub with { HeartbeatInterval = TimeSpan.FromMinutes(1) } };
        await using var victim = await PubSubNode.StartAsync(options);
        victim.PubSub.Subscribe("t");
        await using var flooder = await MeshPeerAsync(victim);
        var spamBefore = victim.PubSub.Metrics.SpamIgnored;
        var ids = Enumerable.Range(0, 2000).Select(i => BitConverter.GetBytes(i)).ToList();
        await flooder.SendAsync(new PubSubRpc { Control = new ControlMessage { IDontWant = [new ControlIDontWant(ids)] } });
        var budget = options.GossipSub.MaxIDontWantMessages;
        await PubSubNode.EventuallyAsync(() => victim.PubSub.Metrics.SpamIgnored - spamBefore == 2000 - budget, $"{2000 - budget} IDs over budget counted");
    }
}
