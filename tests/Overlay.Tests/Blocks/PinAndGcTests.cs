using Overlay.Blocks;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;
using Overlay.Tests.Shared;

namespace Overlay.Tests.Blocks;

/// <summary>Recursive and direct pins, their file, and garbage collection around pins and leases.</summary>
public sealed class PinAndGcTests : IDisposable
{
    private readonly BlockStoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private async Task<Cid> ImportAsync(ulong seed, long size, IBlockStore? store = null)
    {
        await using var content = DeterministicBytes.Open(seed, size);
        return (await new UnixFsImporter(store ?? _fixture.Store).ImportFileAsync(content)).Cid;
    }

    [Fact]
    public async Task Recursive_direct_and_indirect_pins_are_listed_checked_and_persisted()
    {
        var file = await ImportAsync(1, 3L << 20);
        var single = BlockStoreFixture.Raw(2);
        await _fixture.Store.PutAsync(single.Cid, single.Data);

        await _fixture.Pins.AddAsync(file, recursive: true, _fixture.Store);
        await _fixture.Pins.AddAsync(single.Cid, recursive: false, _fixture.Store);

        var all = await _fixture.Pins.ListAsync();
        Assert.Equal(PinType.Recursive, all.Single(p => p.Cid == file).Type);
        Assert.Equal(PinType.Direct, all.Single(p => p.Cid == single.Cid).Type);
        Assert.Equal(3, all.Count(p => p.Type == PinType.Indirect));
        var leaf = all.First(p => p.Type == PinType.Indirect).Cid;
        Assert.Equal(PinType.Indirect, await _fixture.Pins.IsPinnedAsync(leaf));
        Assert.Null(await _fixture.Pins.IsPinnedAsync(BlockStoreFixture.Raw(3).Cid));
        await Assert.ThrowsAsync<PinException>(() => _fixture.Pins.AddAsync(file, recursive: false, _fixture.Store));
        await Assert.ThrowsAsync<PinException>(() => _fixture.Pins.RemoveAsync(leaf));

        _fixture.Reopen();
        Assert.Equal(all.Select(p => (p.Cid, p.Type)), (await _fixture.Pins.ListAsync()).Select(p => (p.Cid, p.Type)));
        Assert.Single(await _fixture.Pins.ListAsync(PinType.Direct));

        await _fixture.Pins.RemoveAsync(file);
        await _fixture.Pins.RemoveAsync(single.Cid);
        Assert.Empty(await _fixture.Pins.ListAsync());
        await Assert.ThrowsAsync<PinException>(() => _fixture.Pins.RemoveAsync(file));
    }

    [Fact]
    public async Task Pinning_fetches_missing_blocks_from_the_source_it_is_given()
    {
        var remote = new MemoryBlockStore();
        var file = await ImportAsync(4, 2L << 20, remote);

        await _fixture.Pins.AddAsync(file, recursive: true, remote);

        Assert.Equal(3, _fixture.Store.Count);
        Assert.Equal(PinType.Recursive, await _fixture.Pins.IsPinnedAsync(file));
        var missing = BlockStoreFixture.Raw(5).Cid;
        await Assert.ThrowsAsync<PinException>(() => _fixture.Pins.AddAsync(missing, recursive: true, new MemoryBlockStore()));
        Assert.Null(await _fixture.Pins.IsPinnedAsync(missing));
    }

    [Fact]
    public async Task Gc_removes_unpinned_blocks_and_keeps_pinned_DAGs()
    {
        var pinned = await ImportAsync(6, 3L << 20);
        var unpinned = await ImportAsync(7, 2L << 20);
        await _fixture.Pins.AddAsync(pinned, recursive: true, _fixture.Store);
        var before = (_fixture.Store.Count, _fixture.Store.SizeInBytes);
        var unpinnedRootSize = (await _fixture.Store.GetSizeAsync(unpinned))!.Value;

        var removed = await _fixture.Pins.CollectGarbageAsync().ToListAsync();

        Assert.Equal(3, removed.Count);
        Assert.Equal(7, before.Count);
        Assert.Equal(4, _fixture.Store.Count);
        long remaining = 0;
        await foreach (var cid in _fixture.Store.ListAsync())
        {
            remaining += (await _fixture.Store.GetSizeAsync(cid))!.Value;
        }
        Assert.Equal(remaining, _fixture.Store.SizeInBytes);
        Assert.Equal(before.SizeInBytes - (2L << 20) - unpinnedRootSize, remaining);
        Assert.Equal(3, _fixture.Store.Metrics.GcRemoved);
        Assert.False(await _fixture.Store.HasAsync(unpinned));
        Assert.Equal(BitswapSha(6, 3L << 20), await Sha256Async(pinned));
        Assert.Empty(await _fixture.Pins.CollectGarbageAsync().ToListAsync());
    }

    [Fact]
    public async Task Gc_concurrent_with_adds_never_removes_a_block_of_an_add()
    {
        // The same content before GC (unpinned, collectable) and during it (re-added under a lease).
        var first = await ImportAsync(8, 4L << 20);
        var adds = Enumerable.Range(0, 6).Select(async i =>
        {
            using var operation = _fixture.Store.BeginOperation();
            var root = await ImportAsync((ulong)(8 + (i % 3)), 4L << 20, operation.Blocks);
            await _fixture.Pins.AddAsync(root, recursive: true, operation.Blocks);
            return root;
        }).ToArray();
        var gcs = Enumerable.Range(0, 4).Select(_ => Task.Run(async () => await _fixture.Pins.CollectGarbageAsync().ToListAsync())).ToArray();
        var roots = await Task.WhenAll(adds);
        await Task.WhenAll(gcs);
        await _fixture.Pins.CollectGarbageAsync().ToListAsync();

        Assert.Contains(first, roots);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(BitswapSha((ulong)(8 + i), 4L << 20), await Sha256Async(roots[i]));
        }
    }

    [Fact]
    public async Task A_leased_block_survives_gc_until_its_operation_ends()
    {
        var block = BlockStoreFixture.Raw(11);
        await _fixture.Store.PutAsync(block.Cid, block.Data);
        using (var operation = _fixture.Store.BeginOperation())
        {
            Assert.NotNull(await operation.Blocks.GetAsync(block.Cid));
            Assert.Empty(await _fixture.Pins.CollectGarbageAsync().ToListAsync());
        }
        Assert.Equal(block.Cid.Hash, Assert.Single(await _fixture.Pins.CollectGarbageAsync().ToListAsync()).Hash);
    }

    [Fact]
    public async Task Blocks_put_or_re_put_after_gc_started_are_not_collected_by_it()
    {
        var old = BlockStoreFixture.Raw(14);
        var reused = BlockStoreFixture.Raw(15);
        var fresh = BlockStoreFixture.Raw(16);
        await _fixture.Store.PutAsync(old.Cid, old.Data);
        await _fixture.Store.PutAsync(reused.Cid, reused.Data);
        var start = _fixture.Store.BeginCollection();

        await _fixture.Store.PutAsync(reused.Cid, reused.Data); // deduplicated: nothing written, but marked
        await _fixture.Store.PutAsync(fresh.Cid, fresh.Data);
        var shards = new HashSet<string>();

        Assert.True(_fixture.Store.TryCollect(old.Cid.Hash, start, shards));
        Assert.False(_fixture.Store.TryCollect(reused.Cid.Hash, start, shards));
        Assert.False(_fixture.Store.TryCollect(fresh.Cid.Hash, start, shards));
        Assert.Equal(3, _fixture.Store.Metrics.Puts);
        Assert.True(await _fixture.Store.HasAsync(reused.Cid));
    }

    [Theory]
    [InlineData("")]
    [InlineData("overlay-pins 1\n")]
    [InlineData("overlay-pins 1\nrecursive bafkreib6iewhqhq3dxnhwtdbxuf4ngzrmkte3rotxhuwjfjgibt4v5dyda\n")]
    [InlineData("overlay-pins 1\nrecursive bafkreib6iewhqhq3dxnhwtdbxuf4ngzrmkte3rotxhuwjfjgibt4v5dyda\nend 2\n")]
    [InlineData("overlay-pins 1\nsideways bafkreib6iewhqhq3dxnhwtdbxuf4ngzrmkte3rotxhuwjfjgibt4v5dyda\nend 1\n")]
    [InlineData("overlay-pins 1\nrecursive bafkreib6iewhqhq3dxnhwtdbxuf4ngzrmkte3r\nend 1\n")]
    [InlineData("overlay-pins 1\ndirect bafkreib6iewhqhq3dxnhwtdbxuf4ngzrmkte3rotxhuwjfjgibt4v5dyda\ndirect bafkreib6iewhqhq3dxnhwtdbxuf4ngzrmkte3rotxhuwjfjgibt4v5dyda\nend 2\n")]
    [InlineData("overlay-pins 2\nend 0\n")]
    [InlineData("overlay-pins 1\nend 0")]
    [InlineData("overlay-pins 1\n\0\nend 1\n")]
    public async Task A_damaged_pins_file_is_refused_and_gc_does_not_run_on_it(string content)
    {
        var block = BlockStoreFixture.Raw(12);
        await _fixture.Store.PutAsync(block.Cid, block.Data);
        File.WriteAllText(Path.Combine(_fixture.Directory, PinStore.FileName), content);
        _fixture.Reopen();

        await Assert.ThrowsAnyAsync<MalformedDataException>(() => _fixture.Pins.ListAsync());
        await Assert.ThrowsAnyAsync<MalformedDataException>(async () => await _fixture.Pins.CollectGarbageAsync().ToListAsync());
        Assert.True(await _fixture.Store.HasAsync(block.Cid));
    }

    [Fact]
    public async Task The_pins_file_is_replaced_whole_and_stray_temp_files_are_removed()
    {
        var block = BlockStoreFixture.Raw(13);
        await _fixture.Store.PutAsync(block.Cid, block.Data);
        await _fixture.Pins.AddAsync(block.Cid, recursive: true, _fixture.Store);
        var stray = Path.Combine(_fixture.Directory, ".pins.0123.tmp");
        File.WriteAllText(stray, "overlay-pins 1\nrec");
        _fixture.Reopen();

        Assert.Equal(PinType.Recursive, await _fixture.Pins.IsPinnedAsync(block.Cid));
        Assert.False(File.Exists(stray));
        Assert.Equal($"overlay-pins 1\nrecursive {block.Cid}\nend 1\n", File.ReadAllText(_fixture.Pins.FilePath));
    }

    private async Task<string> Sha256Async(Cid root) => await Bitswap.BitswapTransferTests.Sha256OfAsync(_fixture.Store, root);

    private static string BitswapSha(ulong seed, long size) => Bitswap.BitswapTransferTests.ExpectedSha256(seed, size);
}
