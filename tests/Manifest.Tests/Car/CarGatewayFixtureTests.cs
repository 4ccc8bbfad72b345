using System.Text;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Car;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;
using Overlay.Tests.Shared;
using static Overlay.Manifest.Tests.Car.CarTestFiles;

namespace Overlay.Manifest.Tests.Car;

/// <summary>
/// The ipfs/gateway-conformance CARs (made by kubo): read verified, walked as UnixFS, exported
/// again in the same order, and — where we import the same input — rebuilt to the same CIDs.
/// </summary>
public sealed class CarGatewayFixtureTests
{
    private static async Task<(MemoryBlockStore Store, Cid Root, List<CarBlock> Blocks)> LoadAsync(params string[] path)
    {
        var bytes = Fixtures.ReadBytes(["ipfs-gateway-conformance", "fixtures", .. path]);
        var store = new MemoryBlockStore();
        var header = await CarImporter.ImportAsync(new MemoryStream(bytes), store);
        var (_, blocks) = await ReadAllAsync(bytes);
        return (store, Assert.Single(header.Roots), blocks);
    }

    private static async Task<List<UnixFsDirectoryEntry>> ListAsync(UnixFsReader reader, Cid cid)
    {
        var entries = new List<UnixFsDirectoryEntry>();
        await foreach (var entry in reader.ListAsync(cid))
        {
            entries.Add(entry);
        }
        return entries;
    }

    private static async Task<string> ReadTextAsync(UnixFsReader reader, Cid root, string path) =>
        Encoding.UTF8.GetString(await Tests.UnixFs.UnixFsImporterTests.ReadAllAsync(reader, await reader.ResolveAsync(root, path)));

    public static TheoryData<string, string> CompleteCars() => new()
    {
        { "path_gateway_unixfs", "dir-with-files.car" },
        { "path_gateway_unixfs", "symlink.car" },
        { "path_gateway_unixfs", "dir-with-percent-encoded-filename.car" },
        { "trustless_gateway_car", "subdir-with-mixed-block-files.car" },
        { "trustless_gateway_car", "subdir-with-two-single-block-files.car" },
        { "trustless_gateway_car", "dir-with-duplicate-files.car" },
        { "trustless_gateway_car", "single-layer-hamt-with-multi-block-files.car" },
        { "trustless_gateway_car", "dir-with-dag-cbor-with-links.car" },
    };

    [Theory]
    [MemberData(nameof(CompleteCars))]
    public async Task ExportReproducesKubosBlockOrder(string folder, string file)
    {
        var (store, root, blocks) = await LoadAsync(folder, file);
        var output = new MemoryStream();
        var written = await CarExporter.ExportAsync(store, root, output);
        var (reader, exported) = await ReadAllAsync(output.ToArray());
        Assert.Equal(root, Assert.Single(reader.Roots));
        Assert.Equal(Cids(blocks.DistinctBy(b => b.Cid)), Cids(exported));
        Assert.Equal(written, exported.Count);
    }

    [Fact]
    public async Task DirWithFilesReadsAndRebuildsToKubosCids()
    {
        var (store, root, _) = await LoadAsync("path_gateway_unixfs", "dir-with-files.car");
        var reader = new UnixFsReader(store);
        var entries = await ListAsync(reader, root);
        Assert.Equal(["ascii-copy.txt", "ascii.txt", "hello.txt", "multiblock.txt"], entries.Select(e => e.Name));
        Assert.Equal("hello world\n", await ReadTextAsync(reader, root, "hello.txt"));
        Assert.Equal("hello application/vnd.ipld.car\n", await ReadTextAsync(reader, root, "ascii.txt"));
        var text = await ReadTextAsync(reader, root, "multiblock.txt");
        Assert.Equal(1026, text.Length);
        Assert.StartsWith("Lorem ipsum dolor sit amet", text, StringComparison.Ordinal);

        // kubo: `ipfs add --cid-version=1 --chunker=size-256` (raw leaves, balanced, 174 wide).
        var multiblock = entries.Single(e => e.Name == "multiblock.txt");
        var options = new UnixFsImportOptions { ChunkSize = 256, MaxLinksPerNode = 174 };
        var reimported = await new UnixFsImporter(new DiscardingBlockStore(), options).ImportFileAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(multiblock.Cid, reimported.Cid);
        Assert.Equal(multiblock.DagSize, reimported.DagSize);
        var hello = await new UnixFsImporter(new DiscardingBlockStore()).ImportFileAsync(new MemoryStream("hello world\n"u8.ToArray()));
        Assert.Equal(entries.Single(e => e.Name == "hello.txt").Cid, hello.Cid);

        var rebuilt = await new UnixFsImporter(new MemoryBlockStore()).PutDirectoryAsync(entries);
        Assert.Equal(root, rebuilt.Cid);
    }

    [Fact]
    public async Task HamtDirectoryListsResolvesAndRebuildsToKubosCid()
    {
        var (store, root, _) = await LoadAsync("trustless_gateway_car", "single-layer-hamt-with-multi-block-files.car");
        var reader = new UnixFsReader(store);
        Assert.Equal(UnixFsType.Directory, (await reader.StatAsync(root)).Type);
        var entries = await ListAsync(reader, root);
        Assert.True(entries.Count > 1);
        foreach (var entry in entries)
        {
            Assert.Equal(entry.Cid, await reader.ResolveAsync(root, entry.Name));
        }
        await Assert.ThrowsAsync<UnixFsPathNotFoundException>(() => reader.ResolveAsync(root, "not-there.txt"));
        // Forcing a HAMT at any size, our layout of the same entries is kubo's layout.
        var rebuilt = await new UnixFsImporter(new MemoryBlockStore(), new UnixFsImportOptions { ShardThresholdBytes = 1 }).PutDirectoryAsync(entries);
        Assert.Equal(root, rebuilt.Cid);
    }

    [Fact]
    public async Task MissingBlockFailsOnlyTheRangesThatNeedIt()
    {
        var (store, root, _) = await LoadAsync("trustless_gateway_car", "file-3k-and-3-blocks-missing-block.car");
        var reader = new UnixFsReader(store);
        Assert.Equal(3072UL, (await reader.StatAsync(root)).Size);
        await Assert.ThrowsAsync<BlockNotFoundException>(() => Tests.UnixFs.UnixFsImporterTests.ReadAllAsync(reader, root));
        Assert.Equal(1024, (await Tests.UnixFs.UnixFsImporterTests.ReadAllAsync(reader, root, 0, 1024)).Length);
        Assert.Equal(1024, (await Tests.UnixFs.UnixFsImporterTests.ReadAllAsync(reader, root, 2048, 1024)).Length);
        await Assert.ThrowsAsync<BlockNotFoundException>(() => CarExporter.ExportAsync(store, root, Stream.Null));
    }

    [Fact]
    public async Task SubdirectoriesSymlinksAndUnicodeNamesResolve()
    {
        var (mixed, mixedRoot, _) = await LoadAsync("trustless_gateway_car", "subdir-with-mixed-block-files.car");
        Assert.Equal("bafybeidh6k2vzukelqtrjsmd4p52cpmltd2ufqrdtdg6yigi73in672fwu", mixedRoot.ToString());
        var reader = new UnixFsReader(mixed);
        Assert.Equal("hello application/vnd.ipld.car\n", await ReadTextAsync(reader, mixedRoot, "subdir/ascii.txt"));
        Assert.Equal("bafybeigcisqd7m5nf3qmuvjdbakl5bdnh4ocrmacaqkpuh77qjvggmt2sa", (await reader.ResolveAsync(mixedRoot, "subdir/multiblock.txt")).ToString());

        var (links, linksRoot, _) = await LoadAsync("path_gateway_unixfs", "symlink.car");
        reader = new UnixFsReader(links);
        Assert.Equal("content\n", await ReadTextAsync(reader, linksRoot, "foo"));
        Assert.Equal("foo", (await reader.StatAsync(await reader.ResolveAsync(linksRoot, "bar"))).SymlinkTarget);

        var (unicode, unicodeRoot, _) = await LoadAsync("path_gateway_unixfs", "dir-with-percent-encoded-filename.car");
        reader = new UnixFsReader(unicode);
        Assert.Equal("hello from a percent encoded filename\n", await ReadTextAsync(reader, unicodeRoot, "Portugal%2C+España=Peninsula Ibérica.txt"));
    }
}
