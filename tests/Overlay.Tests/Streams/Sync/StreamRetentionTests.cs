using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.Node;
using Overlay.Streams.Retention;

namespace Overlay.Tests.Streams.Sync;

/// <summary>specs/sync.md §7: which tier each block of a followed or carried stream falls in; own streams stay pinned instead.</summary>
public sealed class StreamRetentionTests : IDisposable
{
    private readonly StreamServiceTests _nodes = new();

    public void Dispose() => _nodes.Dispose();

    [Fact(Timeout = 60_000)]
    public async Task A_carried_streams_blocks_are_tiered_by_class_with_its_head_and_page_tree_in_its_most_urgent_tier()
    {
        var t0 = DateTimeOffset.UtcNow;
        await using var node = await OverlayNode.StartAsync(_nodes.NewRepo("n"), DelayTolerantSyncTests.Options(new ManualClock(t0)));
        var key = Ed25519PrivateKey.Generate();
        (PriorityClass, TimeSpan)[] classes =
        [
            (PriorityClass.Vod, PriorityClass.Vod.DefaultLifetime()),
            (PriorityClass.NearLive, TimeSpan.FromHours(1)),
            (PriorityClass.Live, TimeSpan.FromMinutes(10)),
        ];
        var stream = await TestStream.BuildAsync(key, node.LocalBlocks, classes.Length, seed: 80, time: t0, classes: classes, segmentBytes: 1_500_000);
        var own = await TestStream.BuildAsync(Ed25519PrivateKey.Generate(), node.LocalBlocks, 1, seed: 90, time: t0, segmentBytes: 1000);
        await node.Streams.PublishAsync(own.Head);
        node.Streams.TakeFromSync(stream.Head, node.PeerId, carryNew: true, maxCarried: 8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await DelayTolerantSyncTests.WaitAsync(node, key.PeerId, s => s.Held == 3, timeout.Token);

        var tiers = await new StreamRetention(node.Streams).TiersAsync(timeout.Token);
        Assert.Equal(3, tiers.Count);
        var (vod, nearLive, live) = (tiers[0], tiers[1], tiers[2]);
        // 1.5 MB payloads are two 1 MiB chunks under a dag-pb root: every block of the DAG is tiered.
        Assert.Contains(stream.Payloads[0].Hash, vod);
        Assert.Contains(stream.Bundles[0].Cid.Hash, vod);
        Assert.Contains(stream.Payloads[1].Hash, nearLive);
        Assert.Contains(stream.Payloads[2].Hash, live);
        Assert.Contains(stream.Head.Cid.Hash, live);
        Assert.Contains(stream.Head.Head.Leaves.Hash, live);
        Assert.Equal(4, vod.Count); // the bundle block, the payload root and its two chunks
        Assert.DoesNotContain(own.Head.Cid.Hash, tiers.SelectMany(t => t));
        Assert.NotNull(await node.Repo.Pins.IsPinnedAsync(own.Head.Cid));
    }
}
