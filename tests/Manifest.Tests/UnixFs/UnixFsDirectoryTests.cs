using System.Text;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.DagPb;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;
using DagPbCodec = Overlay.Manifest.DagPb.DagPb;

namespace Overlay.Manifest.Tests.UnixFs;

public sealed class UnixFsDirectoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("overlay-unixfs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>
    /// The tree Helia (ipfs-unixfs-importer 17.1.1, unixfs-v1-2025) was given: file-0.txt … with
    /// "content {i}\n", sub/nested.txt with "nested\n", and an empty directory "empty".
    /// </summary>
    private string MakeTree(int files)
    {
        var dir = Path.Combine(_root, "dir");
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        Directory.CreateDirectory(Path.Combine(dir, "empty"));
        for (var i = 0; i < files; i++)
        {
            File.WriteAllText(Path.Combine(dir, $"file-{i}.txt"), $"content {i}\n");
        }
        File.WriteAllText(Path.Combine(dir, "sub", "nested.txt"), "nested\n");
        return dir;
    }

    [Theory]
    // Flat directory.
    [InlineData(3, 0, "bafybeifn2xbtvuz4r6m3b3sxzwuabfsokciievgkgsufr4xny6l3ydwy7a", 361UL)]
    // HAMT: Helia with shardSplitThresholdBytes 1000.
    [InlineData(100, 1000, "bafybeifcafwywugakdeqxrf6nkztk42dqcap6gafry2mqqlixogpuj4j3y", 7908UL)]
    // HAMT at the profile's 256 KiB threshold, two shard levels.
    [InlineData(5000, 0, "bafybeic6ym42akbbecrf55lp5s47uyazjpmzdvodp2yaceduu75hqn2o2a", 393933UL)]
    public async Task DirectoryTreeMatchesHelia(int files, int threshold, string expected, ulong dagSize)
    {
        var options = threshold == 0 ? UnixFsImportOptions.Default : new UnixFsImportOptions { ShardThresholdBytes = threshold };
        var store = new MemoryBlockStore();
        var result = await new UnixFsImporter(store, options).ImportDirectoryAsync(MakeTree(files));
        Assert.Equal(expected, result.Cid.ToString());
        Assert.Equal(dagSize, result.DagSize);

        var reader = new UnixFsReader(store);
        var names = new List<string>();
        await foreach (var entry in reader.ListAsync(result.Cid))
        {
            names.Add(entry.Name);
        }
        Assert.Equal(files + 2, names.Count);
        Assert.Contains("sub", names);
        var nested = await reader.ResolveAsync(result.Cid, "sub/nested.txt");
        Assert.Equal("nested\n"u8.ToArray(), await UnixFsImporterTests.ReadAllAsync(reader, nested));
        var last = await reader.ResolveAsync(result.Cid, $"/file-{files - 1}.txt");
        Assert.Equal(Encoding.ASCII.GetBytes($"content {files - 1}\n"), await UnixFsImporterTests.ReadAllAsync(reader, last));
        Assert.Equal(UnixFsType.Directory, (await reader.StatAsync(await reader.ResolveAsync(result.Cid, "empty"))).Type);
    }

    [Fact]
    public async Task EmptyDirectoryIsTheWellKnownCid()
    {
        var result = await new UnixFsImporter(new MemoryBlockStore()).PutDirectoryAsync([]);
        Assert.Equal("bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354", result.Cid.ToString());
        Assert.Equal(4UL, result.DagSize);
    }

    [Fact]
    public async Task FlatDirectoryLinksAreSortedByNameBytes()
    {
        var store = new MemoryBlockStore();
        var importer = new UnixFsImporter(store);
        var a = await importer.ImportFileAsync(new MemoryStream("a"u8.ToArray()));
        var result = await importer.PutDirectoryAsync(
        [
            new UnixFsDirectoryEntry("b.txt", a.Cid, a.DagSize),
            new UnixFsDirectoryEntry("B.txt", a.Cid, a.DagSize),
            new UnixFsDirectoryEntry("a.txt", a.Cid, a.DagSize),
        ]);
        var node = DagPbCodec.Decode((await store.GetAsync(result.Cid))!.Value.Span);
        Assert.Equal(["B.txt", "a.txt", "b.txt"], node.Links.Select(l => l.Name));
        Assert.All(node.Links, l => Assert.Equal(1UL, l.Tsize));
        Assert.Equal("0801", Convert.ToHexStringLower(node.Data!.Value.Span));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("nul\0")]
    public async Task RejectsNamesThatAreNotPathComponents(string name)
    {
        var cid = Cid.Compute(Multicodec.Raw, []);
        await Assert.ThrowsAsync<ArgumentException>(() => new UnixFsImporter(new MemoryBlockStore()).PutDirectoryAsync([new UnixFsDirectoryEntry(name, cid, 0)]));
    }

    [Fact]
    public async Task RejectsDuplicateNames()
    {
        var cid = Cid.Compute(Multicodec.Raw, []);
        await Assert.ThrowsAsync<ArgumentException>(() => new UnixFsImporter(new MemoryBlockStore()).PutDirectoryAsync(
            [new UnixFsDirectoryEntry("x", cid, 0), new UnixFsDirectoryEntry("x", cid, 0)]));
    }

    [Fact]
    public async Task HiddenEntriesAreSkippedUnlessAsked()
    {
        var dir = MakeTree(1);
        File.WriteAllText(Path.Combine(dir, ".hidden"), "secret");
        var store = new MemoryBlockStore();
        var skipped = await new UnixFsImporter(store).ImportDirectoryAsync(dir);
        var included = await new UnixFsImporter(store, new UnixFsImportOptions { IncludeHidden = true }).ImportDirectoryAsync(dir);
        File.Delete(Path.Combine(dir, ".hidden"));
        var without = await new UnixFsImporter(store).ImportDirectoryAsync(dir);
        Assert.Equal(without.Cid, skipped.Cid);
        Assert.NotEqual(skipped.Cid, included.Cid);
        await new UnixFsReader(store).ResolveAsync(included.Cid, ".hidden");
        await Assert.ThrowsAsync<UnixFsPathNotFoundException>(() => new UnixFsReader(store).ResolveAsync(skipped.Cid, ".hidden"));
    }

    [Fact]
    public async Task SymlinksArePreservedAsKuboWritesThem()
    {
        var dir = Path.Combine(_root, "links");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "foo"), "content\n");
        File.CreateSymbolicLink(Path.Combine(dir, "bar"), "foo");
        var store = new MemoryBlockStore();
        var result = await new UnixFsImporter(store).ImportDirectoryAsync(dir);
        var reader = new UnixFsReader(store);
        var link = await reader.ResolveAsync(result.Cid, "bar");
        // gateway-conformance symlink.car: kubo's node for "foo" is QmTB8BaCJdCH5H3k7GrxJsxgDNmNYGGR71C58ERkivXoj5 (same bytes, CIDv0).
        Assert.Equal(Cid.Parse("QmTB8BaCJdCH5H3k7GrxJsxgDNmNYGGR71C58ERkivXoj5").Hash, link.Hash);
        var stat = await reader.StatAsync(link);
        Assert.Equal(UnixFsType.Symlink, stat.Type);
        Assert.Equal("foo", stat.SymlinkTarget);
        await Assert.ThrowsAsync<UnixFsPathNotFoundException>(() => reader.ResolveAsync(result.Cid, "bar/x"));
    }

    [Fact]
    public async Task PathErrorsAreDistinct()
    {
        var store = new MemoryBlockStore();
        var result = await new UnixFsImporter(store).ImportDirectoryAsync(MakeTree(2));
        var reader = new UnixFsReader(store);
        var missing = await Assert.ThrowsAsync<UnixFsPathNotFoundException>(() => reader.ResolveAsync(result.Cid, "sub/none.txt"));
        Assert.EndsWith("/sub/none.txt", missing.Path, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UnixFsPathNotFoundException>(() => reader.ResolveAsync(result.Cid, "file-0.txt/deeper"));
        await Assert.ThrowsAsync<ArgumentException>(() => reader.ResolveAsync(result.Cid, "../escape"));
        Assert.Equal(await reader.ResolveAsync(result.Cid, "sub/nested.txt"), await reader.ResolveAsync(result.Cid, "./sub/../sub//nested.txt"));
        Assert.Equal(result.Cid, await reader.ResolveAsync(result.Cid, ""));
        await Assert.ThrowsAsync<UnixFsPathNotFoundException>(async () =>
        {
            await foreach (var _ in reader.ListAsync(await reader.ResolveAsync(result.Cid, "file-1.txt")))
            {
            }
        });
    }

    [Fact]
    public async Task DuplicateNamesInAForeignDirectoryResolveToTheFirst()
    {
        var store = new MemoryBlockStore();
        var first = Cid.Compute(Multicodec.Raw, "1"u8);
        var second = Cid.Compute(Multicodec.Raw, "2"u8);
        var dir = await UnixFsReaderTests.PutNodeAsync(store, new DagPbNode(
            [new DagPbLink(first, "x", 1), new DagPbLink(second, "x", 1)], new UnixFsData { Type = UnixFsType.Directory }.Encode()));
        var reader = new UnixFsReader(store);
        Assert.Equal(first, await reader.ResolveAsync(dir, "x"));
        var entries = new List<UnixFsDirectoryEntry>();
        await foreach (var entry in reader.ListAsync(dir))
        {
            entries.Add(entry);
        }
        Assert.Equal([new UnixFsDirectoryEntry("x", first, 1)], entries);
    }

    [Fact]
    public async Task HamtWithABadFanoutIsMalformed()
    {
        var store = new MemoryBlockStore();
        var shard = await UnixFsReaderTests.PutNodeAsync(store, new DagPbNode([],
            new UnixFsData { Type = UnixFsType.HamtShard, Data = new byte[] { 1 }, HashType = 0x22, Fanout = 4096 }.Encode()));
        await Assert.ThrowsAsync<MalformedDataException>(() => new UnixFsReader(store).ResolveAsync(shard, "a"));
    }

    [Fact]
    public async Task AHamtLinkingOneSubShardFromEveryBucketIsListedWithOneFetchPerShard()
    {
        // Each level's 16 buckets all point at the same shard below: 16 + 16^2 + 16^3 loads when
        // followed naively, for one entry. A real HAMT never links one shard twice (a shard's
        // entries hash to one bucket), so a repeat only repeats entries and is skipped.
        var memory = new MemoryBlockStore();
        var leaf = Cid.Compute(Multicodec.Raw, "x"u8);
        var shardData = new UnixFsData { Type = UnixFsType.HamtShard, Data = new byte[] { 0xff, 0xff }, HashType = 0x22, Fanout = 16 }.Encode();
        var shard = await UnixFsReaderTests.PutNodeAsync(memory, new DagPbNode([new DagPbLink(leaf, "0file", 1)], shardData));
        for (var level = 0; level < 3; level++)
        {
            var links = Enumerable.Range(0, 16).Select(b => new DagPbLink(shard, b.ToString("X"), 1));
            shard = await UnixFsReaderTests.PutNodeAsync(memory, new DagPbNode(links, shardData));
        }
        var store = new InstrumentedStore(memory);
        var entries = new List<UnixFsDirectoryEntry>();
        await foreach (var entry in new UnixFsReader(store).ListAsync(shard))
        {
            entries.Add(entry);
        }
        Assert.Equal([new UnixFsDirectoryEntry("file", leaf, 1)], entries);
        Assert.True(store.Gets <= 4, $"{store.Gets} block fetches for a HAMT of 4 distinct shards");
    }
}
