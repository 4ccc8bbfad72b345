using System.Text;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.PubSub;
using Overlay.PubSub.Floodsub;
using Overlay.PubSub.Gossip;
using Overlay.PubSub.Rpc;

namespace Overlay.Tests.PubSub;

/// <summary>Hostile peers against one victim, with an honest publisher whose traffic must keep flowing.</summary>
[Collection(SerialPubSubCollection.Name)]
public sealed class HostilePubSubTests
{
    private static async Task<(PubSubNode Victim, PubSubNode Honest, PubSubSubscription Sub)> StartPairAsync(PubSubOptions? options = null)
    {
        var victim = await PubSubNode.StartAsync(options ?? PubSubNode.FastOptions(PubSubRouterKind.Gossipsub));
        var honest = await PubSubNode.StartAsync(PubSubNode.FastOptions(PubSubRouterKind.Gossipsub));
        var sub = victim.PubSub.Subscribe("t");
        honest.PubSub.Subscribe("t");
        await honest.ConnectAsync(victim);
        await PubSubNode.EventuallyAsync(() => victim.PubSub.GetMeshPeers("t").Contains(honest.Host.PeerId), "honest peer in mesh");
        return (victim, honest, sub);
    }

    private static async Task AssertHonestTrafficFlowsAsync(PubSubNode honest, PubSubSubscription sub, string text)
    {
        honest.PubSub.Publish("t", Encoding.UTF8.GetBytes(text));
        while (true)
        {
            var message = (await PubSubNode.ReadAsync(sub, 1))[0];
            if (message.From == honest.Host.PeerId && Encoding.UTF8.GetString(message.Data.Span) == text)
            {
                return;
            }
        }
    }

    [Fact]
    public async Task Invalid_signatures_are_dropped_counted_and_penalised_until_graylisted()
    {
        var (victim, honest, sub) = await StartPairAsync();
        await using var _ = victim;
        await using var __ = honest;
        await using var attacker = await HostilePeer.ConnectAsync(victim);
        await attacker.SendAsync(new PubSubRpc { Subscriptions = [new SubscriptionChange(true, "t")] });

        var good = MessageSigning.Sign(attacker.Identity, "t", "real"u8, 1);
        var forgedAuthor = MessageSigning.Sign(attacker.Identity, "t", "x"u8, 2) with { From = honest.Host.PeerId.ToArray() };
        await attacker.SendAsync(new PubSubRpc { Messages = [good with { Data = "tampered"u8.ToArray() }, forgedAuthor, good with { Signature = null }] });
        await PubSubNode.EventuallyAsync(() => victim.PubSub.Metrics.InvalidSignatures == 3, "three invalid signatures counted");
        Assert.True(victim.PubSub.GetScore(attacker.PeerId) <= -80, $"score {victim.PubSub.GetScore(attacker.PeerId)}");

        // Graylisted now: even a valid message from it is ignored, unread.
        await attacker.SendAsync(new PubSubRpc { Messages = [good] });
        await PubSubNode.EventuallyAsync(() => victim.PubSub.Metrics.GraylistedRpcs >= 1, "graylisted RPC");
        await AssertHonestTrafficFlowsAsync(honest, sub, "still here");
        Assert.False(sub.Messages.TryRead(out var extra), $"unexpected {extra}");
        Assert.Equal(0, victim.PubSub.Metrics.InvalidSignatures - 3);
        Assert.True(victim.PubSub.GetScore(honest.Host.PeerId) >= 0);
    }

    [Fact]
    public async Task A_mesh_peer_that_never_delivers_falls_into_deficit_and_is_pruned()
    {
        var options = PubSubNode.FastOptions(PubSubRouterKind.Gossipsub) with
        {
            Score = new Overlay.PubSub.Scoring.PeerScoreParameters
            {
                MeshDeliveryWeight = -20,
                MeshDeliveryThreshold = 1,
                MeshDeliveryActivation = TimeSpan.FromMilliseconds(300),
                MeshFailurePenaltyWeight = -20,
            },
        };
        var (victim, honest, sub) = await StartPairAsync(options);
        await using var _ = victim;
        await using var __ = honest;
        await using var attacker = await HostilePeer.ConnectAsync(victim);
        await attacker.SendAsync(new PubSubRpc { Subscriptions = [new SubscriptionChange(true, "t")], Control = new ControlMessage { Graft = [new ControlGraft("t")] } });
        await PubSubNode.EventuallyAsync(() => victim.PubSub.GetMeshPeers("t").Contains(attacker.PeerId), "attacker grafted");
        using var publishing = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            for (var i = 0; !publishing.IsCancellationRequested; i++)
            {
                honest.PubSub.Publish("t", Encoding.UTF8.GetBytes($"tick {i}"));
                await Task.Delay(50);
            }
        });
        await PubSubNode.EventuallyAsync(() => !victim.PubSub.GetMeshPeers("t").Contains(attacker.PeerId), "silent mesh peer pruned");
        Assert.True(victim.PubSub.GetScore(attacker.PeerId) < 0);
        Assert.Contains(honest.Host.PeerId, victim.PubSub.GetMeshPeers("t"));
        Assert.True(victim.PubSub.GetScore(honest.Host.PeerId) > 0);
        await publishing.CancelAsync();
        await traffic;
    }

    [Fact]
    public async Task An_announced_huge_rpc_is_refused_before_allocation_and_the_stream_reset()
    {
        var (victim, honest, sub) = await StartPairAsync();
        await using var _ = victim;
        await using var __ = honest;
        await using var attacker = await HostilePeer.ConnectAsync(victim);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var prefix = new byte[10];
        var length = Varint.Write(1UL << 30, prefix); // announce 1 GiB, send 4 bytes
        await attacker.SendRawAsync([.. prefix[..length], 1, 2, 3, 4], prefix: false);
        await PubSubNode.EventuallyAsync(() => victim.PubSub.Metrics.MalformedRpcs == 1, "oversized RPC refused");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64L << 20, "the announced gigabyte was allocated");
        Assert.True(victim.PubSub.GetScore(attacker.PeerId) < 0);
        await AssertHonestTrafficFlowsAsync(honest, sub, "after the giant");
    }

    [Fact]
    public async Task Message_data_over_the_limit_is_refused()
    {
        var options = PubSubNode.FastOptions(PubSubRouterKind.Gossipsub) with { Limits = new RpcLimits { MaxDataSize = 1000 } };
        var (victim, honest, sub) = await StartPairAsync(options);
        await using var _ = victim;
        await using var __ = honest;
        await using var attacker = await HostilePeer.ConnectAsync(victim);
        await attacker.SendAsync(new PubSubRpc { Messages = [MessageSigning.Sign(attacker.Identity, "t", new byte[1001], 1)] });
        await PubSubNode.EventuallyAsync(() => victim.PubSub.Metrics.MalformedRpcs == 1, "oversized data refused");
        Assert.Throws<ArgumentException>(() => victim.PubSub.Publish("t", new byte[1001]));
        await AssertHonestTrafficFlowsAsync(honest, sub, "small");
    }

    [Fact]
    public async Task Ihave_floods_get_bounded_iwants()
    {
        var options = PubSubNode.FastOptions(PubSubRouterKind.Gossipsub) with
        {
            GossipSub = new GossipSubParameters { HeartbeatInterval = TimeSpan.FromSeconds(1), MaxIHaveLength = 100, MaxIHaveMessages = 5 },
        };
        var (victim, honest, sub) = await StartPairAsync(options);
        await using var _ = victim;
        await using var __ = honest;
        await using var attacker = await HostilePeer.ConnectAsync(victim);
        var random = new Random(1);
        for (var i = 0; i < 40; i++)
        {
            var ids = Enumerable.Range(0, 5000).Select(_ => { var id = new byte[40]; random.NextBytes(id); return id; }).ToList();
            await attacker.SendAsync(new PubSubRpc { Control = new ControlMessage { IHave = [new ControlIHave("t", ids)] } });
        }
        await PubSubNode.EventuallyAsync(() => victim.PubSub.Metrics.SpamIgnored > 100_000, "IHAVE spam ignored");
        var asked = attacker.Received.Sum(r => r.Control?.IWant.Sum(w => w.MessageIds.Count) ?? 0);
        // 200 000 IDs announced; at most 100 asked per heartbeat (a few heartbeats may have passed).
        Assert.InRange(asked, 1, 600);
        await AssertHonestTrafficFlowsAsync(honest, sub, "gossip spam over");

        // Once it disconnects, its per-peer state goes with it.
        await attacker.DisposeAsync();
        await PubSubNode.EventuallyAsync(() => !victim.PubSub.GetPeers().Contains(attacker.PeerId), "attacker forgotten");
    }

    [Fact]
    public async Task Ihave_for_messages_never_delivered_is_a_broken_promise_and_penalised()
    {
        var options = PubSubNode.FastOptions(PubSubRouterKind.Gossipsub) with
        {
            GossipSub = new GossipSubParameters { HeartbeatInterval = TimeSpan.FromMilliseconds(100), IWantFollowupTime = TimeSpan.FromMilliseconds(300) },
        };
        var (victim, honest, sub) = await StartPairAsync(options);
        await using var _ = victim;
        await using var __ = honest;
        await using var attacker = await HostilePeer.ConnectAsync(victim);
        await attacker.SendAsync(new PubSubRpc { Control = new ControlMessage { IHave = [new ControlIHave("t", [[1, 2, 3], [4, 5, 6]])] } });
        await PubSubNode.EventuallyAsync(() => attacker.Received.Any(r => r.Control?.IWant.Count > 0), "IWANT sent");
        await PubSubNode.EventuallyAsync(() => victim.PubSub.GetScore(attacker.PeerId) < 0, "broken promise penalised");
        Assert.True(victim.PubSub.GetScore(honest.Host.PeerId) >= 0);
        await AssertHonestTrafficFlowsAsync(honest, sub, "promises");
    }

    [Fact]
    public async Task Iwant_repeats_are_answered_at_most_the_retransmission_limit()
    {
        var (victim, honest, sub) = await StartPairAsync();
        await using var _ = victim;
        await using var __ = honest;
        await using var attacker = await HostilePeer.ConnectAsync(victim);
        var id = victim.PubSub.Publish("t", "cached"u8);
        for (var i = 0; i < 20; i++)
        {
            await attacker.SendAsync(new PubSubRpc { Control = new ControlMessage { IWant = [new ControlIWant([id])] } });
        }
        await PubSubNode.EventuallyAsync(() => victim.PubSub.Metrics.SpamIgnored >= 17, "IWANT repeats ignored");
        await Task.Delay(200);
        var answered = attacker.Received.Sum(r => r.Messages.Count(m => "cached"u8.SequenceEqual(m.Data)));
        Assert.Equal(new GossipSubParameters().GossipRetransmission, answered);
    }

    [Fact]
    public async Task Graft_floods_for_unknown_topics_are_ignored_and_grafting_in_backoff_is_penalised()
    {
        var (victim, honest, sub) = await StartPairAsync();
        await using var _ = victim;
        await using var __ = honest;
        await using var attacker = await HostilePeer.ConnectAsync(victim);
        var grafts = Enumerable.Range(0, 1000).Select(i => new ControlGraft($"nope-{i}")).ToList();
        await attacker.SendAsync(new PubSubRpc { Control = new ControlMessage { Graft = grafts } });
        await PubSubNode.EventuallyAsync(() => victim.PubSub.Metrics.SpamIgnored >= 1000, "GRAFT flood ignored");
        Assert.Empty(victim.PubSub.GetMeshPeers("nope-1"));

        // Get pruned with a backoff, then graft again at once: misbehaviour.
        await attacker.SendAsync(new PubSubRpc { Subscriptions = [new SubscriptionChange(true, "t")], Control = new ControlMessage { Graft = [new ControlGraft("t")] } });
        await PubSubNode.EventuallyAsync(() => victim.PubSub.GetMeshPeers("t").Contains(attacker.PeerId), "attacker grafted");
        await attacker.SendAsync(new PubSubRpc { Control = new ControlMessage { Prune = [new ControlPrune("t", [], 60)] } });
        await PubSubNode.EventuallyAsync(() => !victim.PubSub.GetMeshPeers("t").Contains(attacker.PeerId), "attacker pruned");
        for (var i = 0; i < 3; i++)
        {
            await attacker.SendAsync(new PubSubRpc { Control = new ControlMessage { Graft = [new ControlGraft("t")] } });
        }
        await PubSubNode.EventuallyAsync(() => victim.PubSub.GetScore(attacker.PeerId) < 0, "backoff violation penalised");
        Assert.DoesNotContain(attacker.PeerId, victim.PubSub.GetMeshPeers("t"));
        Assert.Contains(attacker.Received, r => r.Control?.Prune.Any(p => p.Topic == "t") == true);
        await AssertHonestTrafficFlowsAsync(honest, sub, "grafts over");
    }

    [Fact]
    public async Task Validators_reject_with_a_penalty_and_ignore_without_one()
    {
        var (victim, honest, sub) = await StartPairAsync();
        await using var _ = victim;
        await using var __ = honest;
        victim.PubSub.RegisterValidator("t", m => Encoding.UTF8.GetString(m.Data.Span) switch
        {
            "bad" => ValidationResult.Reject,
            "stale" => ValidationResult.Ignore,
            _ => ValidationResult.Accept,
        });
        honest.PubSub.Publish("t", "stale"u8);
        await PubSubNode.EventuallyAsync(() => victim.PubSub.Metrics.Ignored == 1, "ignored");
        Assert.True(victim.PubSub.GetScore(honest.Host.PeerId) >= 0);
        honest.PubSub.Publish("t", "bad"u8);
        await PubSubNode.EventuallyAsync(() => victim.PubSub.Metrics.Rejected == 1, "rejected");
        Assert.True(victim.PubSub.GetScore(honest.Host.PeerId) < 0);
        honest.PubSub.Publish("t", "fine"u8);
        var got = await PubSubNode.ReadAsync(sub, 1);
        Assert.Equal("fine", Encoding.UTF8.GetString(got[0].Data.Span));
    }

    [Fact]
    public async Task A_short_seqno_from_a_floodsub_peer_is_delivered_and_flooded_to_floodsub_peers_only()
    {
        var (victim, honest, sub) = await StartPairAsync();
        await using var _ = victim;
        await using var __ = honest;
        var honestSub = honest.PubSub.Subscribe("t");
        await using var sender = await HostilePeer.ConnectAsync(victim, FloodsubRouter.ProtocolId);
        await using var listener = await HostilePeer.ConnectAsync(victim, FloodsubRouter.ProtocolId);
        await listener.SendAsync(new PubSubRpc { Subscriptions = [new SubscriptionChange(true, "t")] });
        await PubSubNode.EventuallyAsync(() => victim.PubSub.GetPeers("t").Contains(listener.PeerId), "floodsub listener subscribed");

        // What js floodsub sends for a random seqno below 2^56: seven bytes, signed as they are.
        var shortSeqno = MessageSigningTests.SignWithSeqno(sender.Identity, "t", [0x42, 1, 2, 3, 4, 5, 6]);
        await sender.SendAsync(new PubSubRpc { Messages = [shortSeqno] });
        var got = (await PubSubNode.ReadAsync(sub, 1))[0];
        Assert.Equal(sender.PeerId, got.From);
        Assert.Equal(0x42010203040506UL, got.Seqno);
        await PubSubNode.EventuallyAsync(
            () => listener.Received.Any(r => r.Messages.Any(m => m.Seqno is { } s && s.AsSpan().SequenceEqual(shortSeqno.Seqno))),
            "flooded to the floodsub listener");

        // The same shape from a gossipsub peer breaks gossipsub's 8-byte rule: counted, penalised, not delivered.
        await using var gossiper = await HostilePeer.ConnectAsync(victim);
        await gossiper.SendAsync(new PubSubRpc { Messages = [MessageSigningTests.SignWithSeqno(gossiper.Identity, "t", [9, 9, 9])] });
        await PubSubNode.EventuallyAsync(() => victim.PubSub.Metrics.InvalidSignatures == 1, "short seqno over gossipsub refused");
        Assert.True(victim.PubSub.GetScore(gossiper.PeerId) < 0);

        await AssertHonestTrafficFlowsAsync(honest, sub, "after short seqnos");
        Assert.False(sub.Messages.TryRead(out var extra), $"unexpected {extra}");
        // Gossipsub peers would refuse a short seqno and penalise us for relaying it: it never reaches them.
        while (honestSub.Messages.TryRead(out var relayed))
        {
            Assert.NotEqual(sender.PeerId, relayed.From);
        }
    }
}
