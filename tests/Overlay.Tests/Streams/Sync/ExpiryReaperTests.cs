using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.Node;
using Overlay.Repo;

namespace Overlay.Tests.Streams.Sync;

/// <summary>specs/sync.md §6: held bundles are reaped when their lifetime ends (by an injected clock); blocks another stream holds stay.</summary>
public sealed class ExpiryReaperTests : IDisposable
{
    private readonly StreamServiceTests _nodes = new();

    public void Dispose() => _nodes.Dispose();

    [Fact(Timeout = 60_000)]
    public async Task Expired_bundles_are_dropped_and_their_blocks_removed_unless_another_stream_holds_them()
    {
        var t0 = DateTimeOffset.UtcNow;
        var clock = new ManualClock(t0);
        await using var node = await OverlayNode.StartAsync(_nodes.NewRepo("n"), DelayTolerantSyncTests.Options(clock));
        var key = Ed25519PrivateKey.Generate();
        var other = Ed25519PrivateKey.Generate();
        (PriorityClass, TimeSpan)[] classes =
        [
            (PriorityClass.Vod, PriorityClass.Vod.DefaultLifetime()),
            (PriorityClass.Live, TimeSpan.FromMinutes(10)),
            (PriorityClass.NearLive, TimeSpan.FromHours(1)),
            (PriorityClass.Vod, PriorityClass.Vod.DefaultLifetime()),
        ];
        var stream = await TestStream.BuildAsync(key, node.LocalBlocks, classes.Length, seed: 60, time: t0, classes: classes, segmentBytes: 200_000);
        // Another stream whose second bundle has the very same payload, for 30 days.
        var sharing = await TestStream.BuildAsync(other, node.LocalBlocks, 2, seed: 60, time: t0, segmentBytes: 200_000);
        Assert.Equal(stream.Payloads[1], sharing.Payloads[1]);
        Assert.NotNull(node.Streams.TakeFromSync(stream.Head, node.PeerId, carryNew: true, maxCarried: 8));
        Assert.NotNull(node.Streams.TakeFromSync(sharing.Head, node.PeerId, carryNew: true, maxCarried: 8));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await DelayTolerantSyncTests.WaitAsync(node, key.PeerId, s => s.Held == 4, timeout.Token);
        await DelayTolerantSyncTests.WaitAsync(node, other.PeerId, s => s.Held == 2, timeout.Token);

        Assert.Equal(0, await node.Reaper.ReapAsync(timeout.Token));
        clock.Now = t0 + TimeSpan.FromMinutes(10); // expires is exclusive: the live bundle ends now
        Assert.Equal(1, await node.Reaper.ReapAsync(timeout.Token));
        Assert.False(await node.Repo.Blocks.HasAsync(stream.Bundles[1].Cid));
        Assert.True(await node.Repo.Blocks.HasAsync(stream.Payloads[1]), "the other stream still holds this payload");

        clock.Now = t0 + TimeSpan.FromHours(2);
        Assert.Equal(1, await node.Reaper.ReapAsync(timeout.Token));
        Assert.False(await node.Repo.Blocks.HasAsync(stream.Bundles[2].Cid));
        Assert.False(await node.Repo.Blocks.HasAsync(stream.Payloads[2]));
        Assert.Equal(0, await node.Reaper.ReapAsync(timeout.Token));

        var status = node.Streams.GetStatus(key.PeerId)!;
        Assert.Equal((2L, 2L, true), (status.Held, status.Expired, status.Complete));
        Assert.Equal(2, node.Reaper.Metrics.BundlesReaped);
        // What is held stays through GC.
        await foreach (var _ in node.Repo.Pins.CollectGarbageAsync(timeout.Token))
        {
        }
        foreach (var seq in new[] { 0, 3 })
        {
            Assert.True(await node.Repo.Blocks.HasAsync(stream.Bundles[seq].Cid));
            Assert.True(await node.Repo.Blocks.HasAsync(stream.Payloads[seq]));
        }
        var summary = node.Sync.Summarize().Streams.Single(e => SignedTreeHead.Decode(e.Head.Span).Head.Stream == key.PeerId);
        // Held and expired leaves alike are "do not push" to a sync peer; only HAVE and pushes leave the expired ones out.
        Assert.Equal([new LeafRange(0, 4)], summary.Held);

        // After a restart the held leaves are verified again and the expired ones are remembered, not looked for.
        await node.DisposeAsync();
        // Without a node, an offline GC keeps the carried stream too (its retention is read from streams/).
        var offline = OverlayRepo.Open(node.Repo.RootPath);
        await foreach (var _ in offline.Pins.CollectGarbageAsync(timeout.Token))
        {
        }
        Assert.True(await offline.Blocks.HasAsync(stream.Payloads[3]));
        Assert.True(await offline.Blocks.HasAsync(stream.Head.Cid));
        await using var again = await OverlayNode.StartAsync(OverlayRepo.Open(node.Repo.RootPath), DelayTolerantSyncTests.Options(clock));
        var resumed = await DelayTolerantSyncTests.WaitAsync(again, key.PeerId, s => s.Held == 2, timeout.Token);
        Assert.Equal((2L, true, true), (resumed.Expired, resumed.Complete, resumed.Carried));
    }
}
