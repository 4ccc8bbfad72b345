using Overlay.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Tests.Blocks;

/// <summary>specs/repo.md §6: under quota pressure unkept blocks go first (LRU), then the tiers in order (vod, near_live, live); pins never.</summary>
public sealed class TieredEvictionTests : IDisposable
{
    private const int BlockSize = 10_000;
    private readonly BlockStoreFixture _fixture = new(storageMax: 10 * BlockSize);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Eviction_takes_unkept_blocks_then_vod_then_near_live_then_live_and_never_pinned_ones()
    {
        var blocks = Enumerable.Range(0, 10).Select(i => BlockStoreFixture.Raw(700 + (ulong)i, BlockSize)).ToArray();
        // Put so that LRU alone would take the live and pinned blocks first.
        var (live1, live2, pinned1, pinned2, near1, near2, vod1, vod2, unkept1, unkept2) =
            (blocks[0], blocks[1], blocks[2], blocks[3], blocks[4], blocks[5], blocks[6], blocks[7], blocks[8], blocks[9]);
        foreach (var (cid, data) in blocks)
        {
            await _fixture.Store.PutAsync(cid, data);
        }
        await _fixture.Pins.AddAsync(pinned1.Cid, recursive: false, _fixture.Store);
        await _fixture.Pins.AddAsync(pinned2.Cid, recursive: false, _fixture.Store);
        _fixture.Pins.Tiers = new FixedTiers([[vod1.Cid.Hash, vod2.Cid.Hash], [near1.Cid.Hash, near2.Cid.Hash], [live1.Cid.Hash, live2.Cid.Hash]]);

        // A block of four needs five gone to reach the 90% mark: the two unkept, the two vod and the older near_live.
        var large = BlockStoreFixture.Raw(800, 4 * BlockSize);
        await _fixture.Store.PutAsync(large.Cid, large.Data);
        Assert.Equal(5, _fixture.Store.Metrics.Evicted);
        foreach (var gone in new[] { unkept1, unkept2, vod1, vod2, near1 })
        {
            Assert.False(await _fixture.Store.HasAsync(gone.Cid));
        }
        foreach (var kept in new[] { near2, live1, live2, pinned1, pinned2, large })
        {
            Assert.True(await _fixture.Store.HasAsync(kept.Cid));
        }

        // GC never takes tiered blocks either (the large block is unkept: GC takes it).
        var collected = new List<Cid>();
        await foreach (var cid in _fixture.Pins.CollectGarbageAsync())
        {
            collected.Add(cid);
        }
        Assert.Equal([large.Cid.Hash], collected.Select(c => c.Hash));

        // Past every tier only pins remain, and a put that still cannot fit fails cleanly.
        var huge = BlockStoreFixture.Raw(900, 9 * BlockSize);
        await Assert.ThrowsAsync<StorageQuotaExceededException>(async () => await _fixture.Store.PutAsync(huge.Cid, huge.Data));
        Assert.True(await _fixture.Store.HasAsync(pinned1.Cid));
        Assert.True(await _fixture.Store.HasAsync(pinned2.Cid));
        Assert.False(await _fixture.Store.HasAsync(live1.Cid));
    }

    private sealed class FixedTiers(IReadOnlyList<IReadOnlySet<Multihash>> tiers) : IRetentionTiers
    {
        public FixedTiers(Multihash[][] tiers) : this(tiers.Select(t => (IReadOnlySet<Multihash>)t.ToHashSet()).ToArray())
        {
        }

        public ValueTask<IReadOnlyList<IReadOnlySet<Multihash>>> TiersAsync(CancellationToken cancellationToken) => ValueTask.FromResult(tiers);
    }
}
