using System.Text;
using Overlay.Addressing;
using Overlay.Bitswap;
using Overlay.Bitswap.Messages;
using Overlay.Host;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;
using Overlay.Protocols.Identify;
using Overlay.PubSub;
using Overlay.PubSub.Rpc;
using Overlay.Tests.Bitswap;
using Overlay.Tests.PubSub;
using Overlay.Tests.Shared;
using Xunit.Abstractions;

namespace Overlay.Tests.Hostile;

/// <summary>
/// One node running bitswap and gossipsub together, abused on both at once by several peers
/// while honest peers keep fetching and publishing; once the abusers leave, nothing of theirs
/// may remain: no ledger, no pubsub peer, no connection, and the heap back near where it was.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class BlockAndMessageAbuseTests(ITestOutputHelper output)
{
    private const int Abusers = 6;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task After_bitswap_and_pubsub_abusers_leave_their_state_is_gone_and_the_heap_is_back_near_baseline()
    {
        await using var victim = await Victim.StartAsync();
        var sub = victim.PubSub.Subscribe("t");
        await using var honestFetcher = await BitswapNode.StartAsync(new MemoryBlockStore());
        await using var honestPublisher = await PubSubNode.StartAsync(PubSubNode.FastOptions(PubSubRouterKind.Gossipsub));
        honestPublisher.PubSub.Subscribe("t");
        await honestFetcher.ConnectAsync(victim.Host);
        await honestPublisher.Host.ConnectAsync(victim.Address).WaitAsync(Timeout);
        await PubSubNode.EventuallyAsync(() => victim.PubSub.GetMeshPeers("t").Contains(honestPublisher.Host.PeerId), "honest publisher in the mesh", Timeout);

        // Warm every path once so the baseline already holds what honest use keeps (JIT, caches).
        var root = await ImportAsync(victim.Store, seed: 31, 2L << 20);
        await new DagFetcher(honestFetcher.Bitswap).FetchAsync(root).WaitAsync(Timeout);
        await PublishAndReceiveAsync(honestPublisher, sub, "warm");
        var heapBefore = await SettledHeapAsync();

        // Four waves of abusers. The first ones may grow pools and caches to their working size
        // (bitswap's receive-buffer pool keeps at most four arrays of each size); a leak per
        // abuser keeps growing.
        var growth = new long[4];
        for (var wave = 0; wave < growth.Length; wave++)
        {
            await RunWaveAsync(victim, honestFetcher, honestPublisher, sub, wave);
            growth[wave] = await SettledHeapAsync() - heapBefore;
        }

        output.WriteLine($"heap before {heapBefore >> 10} KiB; growth after each wave: {string.Join(", ", growth.Select(g => $"{g >> 10:+#;-#;0} KiB"))}");
        output.WriteLine($"bitswap rejections: {Rejections(victim.Bitswap.Metrics)}; pubsub invalid signatures {victim.PubSub.Metrics.InvalidSignatures}, spam ignored {victim.PubSub.Metrics.SpamIgnored}");
        // Each wave sends ~20 MiB (10 000-entry wantlists, unrequested 1 MiB blocks, gossip spam);
        // keeping even half of it per abuser would add ~20 MiB over the last two waves. The heap
        // is the whole test process's, shared with what other tests left, so the bounds leave room.
        Assert.True(growth[0] < 24L << 20, $"the heap grew by {growth[0] >> 10} KiB after the first wave");
        Assert.True(growth[3] - growth[1] < 8L << 20, $"the heap grew by another {(growth[3] - growth[1]) >> 10} KiB over waves 3 and 4");

        // And the node still works for the honest peers.
        await PublishAndReceiveAsync(honestPublisher, sub, "after the abuse");
        var second = await ImportAsync(victim.Store, seed: 32, 1L << 20);
        await new DagFetcher(honestFetcher.Bitswap).FetchAsync(second).WaitAsync(Timeout);
    }

    private static async Task RunWaveAsync(Victim victim, BitswapNode honestFetcher, PubSubNode honestPublisher, PubSubSubscription sub, int wave)
    {
        var invalidBefore = victim.PubSub.Metrics.InvalidSignatures;
        var spamBefore = victim.PubSub.Metrics.SpamIgnored;
        var limitsBefore = victim.Bitswap.Metrics.RejectedFor(BitswapRejectReason.LimitExceeded);
        var abusers = new List<IAsyncDisposable>();
        var abuserIds = new List<PeerId>();
        for (var i = 0; i < Abusers; i++)
        {
            var seed = wave * Abusers + i;
            var bitswapAbuser = await RawBitswapPeer.StartAsync();
            abusers.Add(bitswapAbuser);
            abuserIds.Add(bitswapAbuser.Host.PeerId);
            await bitswapAbuser.ConnectAsync(victim.Host);
            await AbuseBitswapAsync(bitswapAbuser, victim.Host.PeerId, (ulong)seed);

            var pubsubAbuser = await HostilePeer.ConnectAsync(victim.Address, victim.Host.PeerId);
            abusers.Add(pubsubAbuser);
            abuserIds.Add(pubsubAbuser.PeerId);
            await AbusePubSubAsync(pubsubAbuser, seed);
        }

        // Honest traffic while the abusers are still connected.
        var (honestBlock, honestData) = TestBlocks.Raw(seed: 77 + (ulong)wave, 256 << 10);
        await victim.Store.PutAsync(honestBlock, honestData);
        Assert.Equal(honestData, (await honestFetcher.Bitswap.Client.GetBlockAsync(honestBlock).WaitAsync(Timeout)).ToArray());
        await PublishAndReceiveAsync(honestPublisher, sub, $"during wave {wave}");
        await PubSubNode.EventuallyAsync(() => victim.PubSub.Metrics.InvalidSignatures - invalidBefore >= Abusers * 50, "forged messages counted", Timeout);
        Assert.True(victim.PubSub.Metrics.SpamIgnored - spamBefore >= Abusers * 1000, $"spam ignored {victim.PubSub.Metrics.SpamIgnored - spamBefore}");
        Assert.True(victim.Bitswap.Metrics.RejectedFor(BitswapRejectReason.LimitExceeded) - limitsBefore >= Abusers, Rejections(victim.Bitswap.Metrics));
        Assert.True(victim.Bitswap.Metrics.RejectedFor(BitswapRejectReason.UnrequestedBlock) >= 1, Rejections(victim.Bitswap.Metrics));

        foreach (var abuser in abusers)
        {
            await abuser.DisposeAsync();
        }
        await PubSubNode.EventuallyAsync(() => abuserIds.All(id => !victim.Host.IsConnected(id)), "abusers disconnected", Timeout);
        await PubSubNode.EventuallyAsync(() => !victim.PubSub.GetPeers().Intersect(abuserIds).Any(), "abusers' pubsub state dropped", Timeout);
        await PubSubNode.EventuallyAsync(() => !victim.Bitswap.Peers.Intersect(abuserIds).Any() && victim.Bitswap.Server.LedgerCount <= 1, "abusers' ledgers dropped", Timeout);
        Assert.All(abuserIds, id => Assert.Empty(victim.Bitswap.Server.WantlistOf(id)));
        Assert.Empty(victim.Bitswap.Client.Wantlist);
        await victim.Store.DeleteAsync(honestBlock);
        await honestFetcher.Store.DeleteAsync(honestBlock);
    }

    /// <summary>A 10 000-entry wantlist (refused whole), 1000 wants for blocks nobody has, unrequested blocks and an oversized frame.</summary>
    private static async Task AbuseBitswapAsync(RawBitswapPeer abuser, PeerId victim, ulong seed)
    {
        var flood = new BitswapMessage
        {
            Wantlist = Enumerable.Range(0, 10_000).Select(i => BitswapWantlistEntry.WantBlock(Cid.Compute(Multicodec.Raw, BitConverter.GetBytes(i + (int)seed * 10_000)))).ToArray(),
        };
        await using (var _ = await abuser.OpenAndWriteAsync(victim, BitswapServerTests.Frame(flood)))
        {
        }
        var missing = new BitswapMessage
        {
            Wantlist = Enumerable.Range(0, 1000).Select(i => BitswapWantlistEntry.WantHave(Cid.Compute(Multicodec.Raw, BitConverter.GetBytes(-i - 1 - (int)seed * 1000)))).ToArray(),
        };
        await abuser.SendAsync(victim, missing);
        for (var i = 0; i < 2; i++)
        {
            var (cid, data) = TestBlocks.Raw(1000 + seed * 10 + (ulong)i);
            await abuser.SendAsync(victim, new BitswapMessage { Blocks = [new BitswapBlock(CidPrefix.Of(cid), data)] });
        }
    }

    /// <summary>Subscriptions past the cap, IHAVE/IWANT/GRAFT spam within the per-RPC limits, then 50 forged messages.</summary>
    private static async Task AbusePubSubAsync(HostilePeer abuser, int seed)
    {
        var random = new Random(seed);
        await abuser.SendAsync(new PubSubRpc { Subscriptions = Enumerable.Range(0, 500).Select(i => new SubscriptionChange(true, $"junk-{seed}-{i}")).Append(new SubscriptionChange(true, "t")).ToArray() });
        for (var round = 0; round < 4; round++)
        {
            var ids = Enumerable.Range(0, 3000).Select(_ => { var id = new byte[40]; random.NextBytes(id); return id; }).ToList();
            await abuser.SendAsync(new PubSubRpc
            {
                Control = new ControlMessage
                {
                    IHave = [new ControlIHave("t", ids)],
                    IWant = [new ControlIWant(ids.Take(1500).ToList())],
                    Graft = Enumerable.Range(0, 500).Select(i => new ControlGraft($"graft-{seed}-{i}")).ToArray(),
                },
            });
        }
        var good = MessageSigning.Sign(abuser.Identity, "t", "x"u8, 1);
        await abuser.SendAsync(new PubSubRpc { Messages = Enumerable.Range(0, 50).Select(i => good with { Data = Encoding.UTF8.GetBytes($"forged-{i}") }).ToArray() });
    }

    private static async Task PublishAndReceiveAsync(PubSubNode publisher, PubSubSubscription sub, string text)
    {
        publisher.PubSub.Publish("t", Encoding.UTF8.GetBytes(text));
        while (true)
        {
            var message = (await PubSubNode.ReadAsync(sub, 1, Timeout))[0];
            if (message.From == publisher.Host.PeerId && Encoding.UTF8.GetString(message.Data.Span) == text)
            {
                return;
            }
        }
    }

    private static async Task<Cid> ImportAsync(IBlockStore store, ulong seed, long size)
    {
        await using var content = DeterministicBytes.Open(seed, size);
        return (await new UnixFsImporter(store).ImportFileAsync(content)).Cid;
    }

    /// <summary>The heap after disconnect clean-up and finalizers have run.</summary>
    private static async Task<long> SettledHeapAsync()
    {
        await Task.Delay(500);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string Rejections(BitswapMetrics metrics) =>
        string.Join(", ", metrics.Rejected.Select(r => $"{r.Key} {r.Value}"));

    /// <summary>The node under abuse: one host with identify, bitswap over a memory store and gossipsub.</summary>
    private sealed class Victim : IAsyncDisposable
    {
        private Victim(Libp2pHost host, MemoryBlockStore store, BitswapService bitswap, PubSubService pubSub)
        {
            Host = host;
            Store = store;
            Bitswap = bitswap;
            PubSub = pubSub;
        }

        public Libp2pHost Host { get; }

        public MemoryBlockStore Store { get; }

        public BitswapService Bitswap { get; }

        public PubSubService PubSub { get; }

        public Multiaddr Address => Host.ListenAddresses[0].WithPeer(Host.PeerId.Bytes);

        public static async Task<Victim> StartAsync()
        {
            var host = new Libp2pHost(new HostOptions
            {
                Identity = Ed25519PrivateKey.Generate(),
                ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
            });
            _ = new IdentifyService(host);
            var store = new MemoryBlockStore();
            var bitswap = new BitswapService(host, store);
            var pubSub = new PubSubService(host, PubSubNode.FastOptions(PubSubRouterKind.Gossipsub));
            await host.StartAsync();
            return new Victim(host, store, bitswap, pubSub);
        }

        public async ValueTask DisposeAsync()
        {
            await Bitswap.DisposeAsync();
            await Host.DisposeAsync();
        }
    }
}
