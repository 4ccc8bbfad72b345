using Overlay.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Tests.Blocks;

/// <summary>Files whose bytes do not hash to their name are quarantined and reported missing, never served.</summary>
public sealed class QuarantineTests : IDisposable
{
    private readonly BlockStoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData("flipped")]
    [InlineData("truncated")]
    [InlineData("empty")]
    public async Task A_corrupt_file_reads_as_missing_and_moves_to_quarantine_with_its_bytes(string damage)
    {
        var (cid, data) = BlockStoreFixture.Raw(1);
        await _fixture.Store.PutAsync(cid, data);
        var path = _fixture.PathOf(cid);
        var bad = damage switch
        {
            "flipped" => data.Select((b, i) => i == 10 ? (byte)(b ^ 1) : b).ToArray(),
            "truncated" => data[..100],
            _ => [],
        };
        File.WriteAllBytes(path, bad);

        Assert.Null(await _fixture.Store.GetAsync(cid));

        Assert.False(File.Exists(path));
        var kept = Assert.Single(Directory.GetFiles(_fixture.QuarantinePath));
        Assert.StartsWith(FileBlockStore.KeyOf(cid.Hash) + ".data.", Path.GetFileName(kept), StringComparison.Ordinal);
        Assert.Equal(bad, File.ReadAllBytes(kept));
        Assert.Equal(1, _fixture.Store.Metrics.Quarantined);
        Assert.Equal(0, _fixture.Store.SizeInBytes);
        Assert.False(await _fixture.Store.HasAsync(cid));

        await _fixture.Store.PutAsync(cid, data);
        Assert.Equal(data, (await _fixture.Store.GetAsync(cid))!.Value.ToArray());
        Assert.Equal(data.Length, _fixture.Store.SizeInBytes);
    }

    [Fact]
    public async Task Verify_rehashes_every_file_and_quarantines_only_the_bad_ones()
    {
        var good = BlockStoreFixture.Raw(2);
        var bad = BlockStoreFixture.Raw(3);
        await _fixture.Store.PutAsync(good.Cid, good.Data);
        await _fixture.Store.PutAsync(bad.Cid, bad.Data);
        File.WriteAllBytes(_fixture.PathOf(bad.Cid), good.Data);

        var report = await _fixture.Store.VerifyAsync();

        Assert.Equal(2, report.Checked);
        Assert.Equal(bad.Cid.Hash, Assert.Single(report.Quarantined).Hash);
        Assert.Empty(report.Unverifiable);
        Assert.True(File.Exists(_fixture.PathOf(good.Cid)));
        Assert.False(File.Exists(_fixture.PathOf(bad.Cid)));
        Assert.Empty((await _fixture.Store.VerifyAsync()).Quarantined);
    }

    [Fact]
    public async Task The_opening_scan_removes_unfinished_puts_and_ignores_foreign_names()
    {
        var (cid, data) = BlockStoreFixture.Raw(4);
        await _fixture.Store.PutAsync(cid, data);
        var shard = Path.GetDirectoryName(_fixture.PathOf(cid))!;
        var temp = Path.Combine(shard, ".put-0123456789abcdef");
        File.WriteAllBytes(temp, data[..10]);
        File.WriteAllBytes(Path.Combine(shard, "notes.txt"), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(shard, "lowercase.data"), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(_fixture.Store.Root, "README"), [1, 2, 3]);
        // A well-named block in the wrong shard would never be read: not counted either.
        var other = BlockStoreFixture.Raw(5);
        var wrongShard = Path.Combine(_fixture.Store.Root, "ZZ");
        Directory.CreateDirectory(wrongShard);
        File.WriteAllBytes(Path.Combine(wrongShard, FileBlockStore.KeyOf(other.Cid.Hash) + ".data"), other.Data);

        _fixture.Reopen();

        Assert.Equal(1, _fixture.Store.Count);
        Assert.Equal(data.Length, _fixture.Store.SizeInBytes);
        Assert.False(File.Exists(temp));
        Assert.Equal(1, _fixture.Store.Metrics.StrayFilesRemoved);
        Assert.True(File.Exists(Path.Combine(shard, "notes.txt")));
        Assert.Equal(data, (await _fixture.Store.GetAsync(cid))!.Value.ToArray());
    }

    [Fact]
    public async Task A_zero_length_file_under_a_final_name_is_counted_then_quarantined_on_read()
    {
        var (cid, _) = BlockStoreFixture.Raw(6);
        var path = _fixture.PathOf(cid);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
        _fixture.Reopen();
        Assert.Equal(1, _fixture.Store.Count);

        Assert.Null(await _fixture.Store.GetAsync(cid));
        Assert.Equal(0, _fixture.Store.Count);
        Assert.Equal(1, _fixture.Store.Metrics.Quarantined);
    }

    [Fact]
    public async Task Identity_blocks_are_never_quarantined()
    {
        var cid = Cid.CreateV1(Multicodec.Raw, Multihash.Create(Multicodec.Identity, [1, 2, 3]));
        Assert.Equal([1, 2, 3], (await _fixture.Store.GetAsync(cid))!.Value.ToArray());
        Assert.Equal(0, _fixture.Store.Metrics.Quarantined);
    }
}
