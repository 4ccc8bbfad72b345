using Overlay.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Tests.Blocks;

/// <summary>The byte quota: least recently used unpinned, unleased blocks make room; otherwise the put fails cleanly.</summary>
public sealed class QuotaTests : IDisposable
{
    private const int BlockSize = 10_000;
    private readonly BlockStoreFixture _fixture = new(storageMax: 10 * BlockSize);

    public void Dispose() => _fixture.Dispose();

    private async Task<(Cid Cid, byte[] Data)[]> FillAsync(int count, ulong firstSeed = 100)
    {
        var blocks = Enumerable.Range(0, count).Select(i => BlockStoreFixture.Raw(firstSeed + (ulong)i, BlockSize)).ToArray();
        foreach (var (cid, data) in blocks)
        {
            await _fixture.Store.PutAsync(cid, data);
        }
        return blocks;
    }

    [Fact]
    public async Task A_put_past_the_quota_evicts_least_recently_used_blocks_down_to_the_low_water_mark()
    {
        var blocks = await FillAsync(10);
        Assert.Equal(10 * BlockSize, _fixture.Store.SizeInBytes);
        Assert.NotNull(await _fixture.Store.GetAsync(blocks[0].Cid)); // now the most recently used

        var extra = BlockStoreFixture.Raw(500, BlockSize);
        await _fixture.Store.PutAsync(extra.Cid, extra.Data);

        // Down to 90% including the new block: two evicted, the oldest untouched ones.
        Assert.Equal(2, _fixture.Store.Metrics.Evicted);
        Assert.Equal(9 * BlockSize, _fixture.Store.SizeInBytes);
        Assert.False(await _fixture.Store.HasAsync(blocks[1].Cid));
        Assert.False(await _fixture.Store.HasAsync(blocks[2].Cid));
        Assert.True(await _fixture.Store.HasAsync(blocks[0].Cid));
        Assert.True(await _fixture.Store.HasAsync(extra.Cid));
    }

    [Fact]
    public async Task Pinned_and_leased_blocks_are_never_evicted_and_a_put_that_cannot_fit_fails_cleanly()
    {
        var blocks = await FillAsync(10);
        foreach (var (cid, _) in blocks[..9])
        {
            await _fixture.Pins.AddAsync(cid, recursive: false, _fixture.Store);
        }
        using var operation = _fixture.Store.BeginOperation();
        operation.Lease(blocks[9].Cid);

        var extra = BlockStoreFixture.Raw(600, BlockSize);
        var refused = await Assert.ThrowsAsync<StorageQuotaExceededException>(async () => await _fixture.Store.PutAsync(extra.Cid, extra.Data));

        Assert.Equal(10 * BlockSize, refused.StorageMax);
        Assert.Equal(1, _fixture.Store.Metrics.QuotaRejections);
        Assert.Equal(0, _fixture.Store.Metrics.Evicted);
        Assert.False(await _fixture.Store.HasAsync(extra.Cid));
        Assert.Equal(10 * BlockSize, _fixture.Store.SizeInBytes);
        Assert.Empty(Directory.GetFiles(_fixture.Store.Root, ".put-*", SearchOption.AllDirectories));
        foreach (var (cid, data) in blocks)
        {
            Assert.Equal(data, (await _fixture.Store.GetAsync(cid))!.Value.ToArray());
        }
        operation.Dispose();
        await _fixture.Store.PutAsync(extra.Cid, extra.Data);
        Assert.False(await _fixture.Store.HasAsync(blocks[9].Cid));
    }

    [Fact]
    public async Task The_byte_total_is_rebuilt_by_the_opening_scan_and_LRU_order_is_seeded_from_mtime()
    {
        var blocks = await FillAsync(10);
        for (var i = 0; i < blocks.Length; i++)
        {
            File.SetLastWriteTimeUtc(Path.Combine(_fixture.Store.Root, FileBlockStore.RelativePathOf(blocks[i].Cid.Hash)), DateTime.UtcNow.AddHours(-i));
        }
        _fixture.Reopen();
        Assert.Equal(10 * BlockSize, _fixture.Store.SizeInBytes);

        var extra = BlockStoreFixture.Raw(700, BlockSize);
        await _fixture.Store.PutAsync(extra.Cid, extra.Data);

        // The oldest mtimes are the last two written.
        Assert.False(await _fixture.Store.HasAsync(blocks[9].Cid));
        Assert.False(await _fixture.Store.HasAsync(blocks[8].Cid));
        Assert.True(await _fixture.Store.HasAsync(blocks[0].Cid));
    }
}
