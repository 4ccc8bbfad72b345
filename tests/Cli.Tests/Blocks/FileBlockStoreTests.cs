using Overlay.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Cli.Tests.Blocks;

public sealed class FileBlockStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "overlay-blockstore-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Layout_matches_kubo_flatfs_for_the_empty_directory_block()
    {
        // From a kubo repo listing: the empty UnixFS directory QmUNLL… is stored at
        // blocks/X3/CIQFTFEEHEDF6KLBT32BFAGLXEZL4UWFNWM4LFTLMXQBCERZ6CMLX3Y.data.
        var cid = Cid.Parse("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn");

        Assert.Equal("CIQFTFEEHEDF6KLBT32BFAGLXEZL4UWFNWM4LFTLMXQBCERZ6CMLX3Y", FileBlockStore.KeyOf(cid.Hash));
        Assert.Equal(Path.Combine("X3", "CIQFTFEEHEDF6KLBT32BFAGLXEZL4UWFNWM4LFTLMXQBCERZ6CMLX3Y.data"), FileBlockStore.RelativePathOf(cid.Hash));
    }

    [Fact]
    public async Task Put_writes_the_block_where_kubo_would_and_get_reads_it_back()
    {
        var store = new FileBlockStore(_root);
        store.EnsureCreated();
        byte[] emptyDirectory = [0x0a, 0x02, 0x08, 0x01];
        var cid = Cid.Parse("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn");
        Assert.True(cid.Matches(emptyDirectory));

        await store.PutAsync(cid, emptyDirectory);

        var file = Path.Combine(_root, "X3", "CIQFTFEEHEDF6KLBT32BFAGLXEZL4UWFNWM4LFTLMXQBCERZ6CMLX3Y.data");
        Assert.Equal(emptyDirectory, File.ReadAllBytes(file));
        Assert.Equal(FileBlockStore.ShardingDescriptor + "\n", File.ReadAllText(Path.Combine(_root, "SHARDING")));
        Assert.Equal(emptyDirectory, (await store.GetAsync(cid))!.Value.ToArray());
        // Keyed by multihash: the CIDv1 of the same hash names the same block.
        Assert.True(await store.HasAsync(cid.ToV1()));
        Assert.Equal(4, await store.GetSizeAsync(cid));
        // No temporary file is left next to it.
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(file)!));
    }

    [Fact]
    public async Task Absent_blocks_read_as_null_and_delete_is_a_no_op()
    {
        var store = new FileBlockStore(_root);
        var cid = Cid.Compute(Multicodec.Raw, "absent"u8);

        Assert.Null(await store.GetAsync(cid));
        Assert.False(await store.HasAsync(cid));
        Assert.Null(await store.GetSizeAsync(cid));
        await store.DeleteAsync(cid);
        Assert.Empty(await ToListAsync(store.ListAsync()));
    }

    [Fact]
    public async Task Get_of_a_corrupted_file_reads_as_missing_and_quarantines_it()
    {
        var store = new FileBlockStore(Path.Combine(_root, "blocks"));
        var data = "hello"u8.ToArray();
        var cid = Cid.Compute(Multicodec.Raw, data);
        await store.PutAsync(cid, data);
        File.WriteAllBytes(Path.Combine(store.Root, FileBlockStore.RelativePathOf(cid.Hash)), "hellO"u8.ToArray());

        Assert.Null(await store.GetAsync(cid));
        Assert.Equal(Path.Combine(_root, "quarantine"), store.QuarantinePath);
        Assert.Equal("hellO"u8.ToArray(), File.ReadAllBytes(Assert.Single(Directory.GetFiles(store.QuarantinePath))));
        Assert.Equal(1, store.Metrics.Quarantined);
    }

    [Fact]
    public async Task List_enumerates_stored_blocks_and_skips_foreign_files()
    {
        var store = new FileBlockStore(_root);
        store.EnsureCreated();
        var cids = new List<Cid>();
        for (var i = 0; i < 20; i++)
        {
            var data = BitConverter.GetBytes(i);
            var cid = Cid.Compute(Multicodec.DagCbor, data);
            await store.PutAsync(cid, data);
            cids.Add(cid);
        }
        await store.DeleteAsync(cids[0]);
        Directory.CreateDirectory(Path.Combine(_root, "ZZ"));
        File.WriteAllText(Path.Combine(_root, "ZZ", "not-a-key.data"), "x");
        File.WriteAllText(Path.Combine(_root, "ZZ", ".put-leftover"), "x");

        var listed = await ToListAsync(store.ListAsync());

        // Codecs are not stored: listings name blocks as raw CIDv1 of their multihash.
        var expected = cids.Skip(1).Select(c => Cid.CreateV1(Multicodec.Raw, c.Hash)).OrderBy(c => c).ToList();
        Assert.Equal(expected, listed.OrderBy(c => c).ToList());
    }

    [Fact]
    public async Task Put_of_a_present_block_keeps_the_file()
    {
        var store = new FileBlockStore(_root);
        var data = "same"u8.ToArray();
        var cid = Cid.Compute(Multicodec.Raw, data);
        await store.PutAsync(cid, data);
        var file = Path.Combine(_root, FileBlockStore.RelativePathOf(cid.Hash));
        var written = File.GetLastWriteTimeUtc(file);

        await store.PutAsync(cid, data);

        Assert.Equal(written, File.GetLastWriteTimeUtc(file));
    }

    [Fact]
    public async Task Identity_CIDs_read_their_inline_bytes_and_are_never_written()
    {
        var store = new FileBlockStore(_root);
        store.EnsureCreated();
        var cid = Cid.CreateV1(Multicodec.Raw, Multihash.Create(Multicodec.Identity, "inline"u8));

        await store.PutAsync(cid, "inline"u8.ToArray());

        Assert.Equal("inline"u8.ToArray(), (await store.GetAsync(cid))!.Value.ToArray());
        Assert.True(await store.HasAsync(cid));
        Assert.Equal(6, await store.GetSizeAsync(cid));
        Assert.Empty(Directory.GetDirectories(_root));
        Assert.Empty(await ToListAsync(store.ListAsync()));
    }

    private static async Task<List<Cid>> ToListAsync(IAsyncEnumerable<Cid> source)
    {
        var list = new List<Cid>();
        await foreach (var cid in source)
        {
            list.Add(cid);
        }
        return list;
    }
}
