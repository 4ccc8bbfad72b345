using Overlay.Manifest.Blocks;
using Overlay.Manifest.DagPb;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;
using Overlay.Tests.Shared;
using DagPbCodec = Overlay.Manifest.DagPb.DagPb;

namespace Overlay.Manifest.Tests.UnixFs;

public sealed class UnixFsReaderTests
{
    private const int MiB = 1024 * 1024;

    private static async Task<(MemoryBlockStore Store, Cid Root, byte[] Bytes)> ImportAsync(int size, ulong seed, UnixFsImportOptions? options = null)
    {
        var bytes = DeterministicBytes.Generate(seed, size);
        var store = new MemoryBlockStore();
        var result = await new UnixFsImporter(store, options).ImportFileAsync(new MemoryStream(bytes));
        return (store, result.Cid, bytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(MiB)]
    [InlineData(3 * MiB + 5)]
    public async Task FullReadReturnsTheImportedBytes(int size)
    {
        var (store, root, bytes) = await ImportAsync(size, 4);
        Assert.Equal(bytes, await UnixFsImporterTests.ReadAllAsync(new UnixFsReader(store), root));
    }

    [Fact]
    public async Task RandomRangesOfADeepDagEqualTheSourceSlices()
    {
        // 1000-byte chunks, width 4: 100 leaves under four levels of parents.
        var options = new UnixFsImportOptions { ChunkSize = 1000, MaxLinksPerNode = 4 };
        var (store, root, bytes) = await ImportAsync(99_999, 5, options);
        var reader = new UnixFsReader(store, new UnixFsReaderOptions { Prefetch = 2 });
        var random = new DeterministicBytes(6);
        for (var i = 0; i < 200; i++)
        {
            var offset = (int)(random.NextUInt64() % (ulong)(bytes.Length + 10));
            var length = (int)(random.NextUInt64() % 5000);
            var expected = bytes.AsSpan(Math.Min(offset, bytes.Length), Math.Max(0, Math.Min(length, bytes.Length - offset))).ToArray();
            Assert.Equal(expected, await UnixFsImporterTests.ReadAllAsync(reader, root, offset, length));
        }
        Assert.Equal(bytes[50_000..], await UnixFsImporterTests.ReadAllAsync(reader, root, 50_000));
    }

    [Fact]
    public async Task RangeReadFetchesOnlyTheBlocksItNeeds()
    {
        var (memory, root, bytes) = await ImportAsync(3 * MiB + 5, 7);
        var store = new InstrumentedStore(memory);
        var chunk = await UnixFsImporterTests.ReadAllAsync(new UnixFsReader(store), root, 2 * MiB + 10, 100);
        Assert.Equal(bytes.AsSpan(2 * MiB + 10, 100).ToArray(), chunk);
        Assert.Equal(2, store.Gets);
    }

    [Fact]
    public async Task TamperedLeafIsAVerificationFailure()
    {
        var (memory, root, _) = await ImportAsync(3 * MiB + 5, 8);
        var store = new InstrumentedStore(memory);
        var leaf = DagPbCodec.Decode((await memory.GetAsync(root))!.Value.Span).Links[2].Hash;
        store.Tampered.Add(leaf);
        var reader = new UnixFsReader(store);
        await Assert.ThrowsAsync<VerificationException>(() => UnixFsImporterTests.ReadAllAsync(reader, root));
        // Ranges that avoid the bad block still read.
        Assert.Equal(100, (await UnixFsImporterTests.ReadAllAsync(reader, root, 0, 100)).Length);
        store.Tampered.Add(root);
        await Assert.ThrowsAsync<VerificationException>(() => reader.StatAsync(root));
    }

    [Fact]
    public async Task MissingBlockNamesTheCid()
    {
        var (memory, root, _) = await ImportAsync(2 * MiB, 9);
        var store = new InstrumentedStore(memory);
        var leaf = DagPbCodec.Decode((await memory.GetAsync(root))!.Value.Span).Links[1].Hash;
        store.Hidden.Add(leaf);
        var error = await Assert.ThrowsAsync<BlockNotFoundException>(() => UnixFsImporterTests.ReadAllAsync(new UnixFsReader(store), root));
        Assert.Equal(leaf, error.Cid);
    }

    [Fact]
    public async Task MemoryStoreReportsAMissingBlockAsNull()
    {
        var store = new MemoryBlockStore();
        Assert.Null(await store.GetAsync(Cid.Compute(Multicodec.Raw, "absent"u8)));
        var empty = Cid.Compute(Multicodec.Raw, []);
        await store.PutAsync(empty, ReadOnlyMemory<byte>.Empty);
        Assert.Equal(0, (await store.GetAsync(empty))!.Value.Length);
    }

    [Fact]
    public async Task ParentClaimingTheWrongChildSizeIsMalformed()
    {
        var store = new MemoryBlockStore();
        var leaf = Cid.Compute(Multicodec.Raw, "abc"u8);
        await store.PutAsync(leaf, "abc"u8.ToArray());
        var data = new UnixFsData { Type = UnixFsType.File, FileSize = 4, BlockSizes = [4] }.Encode();
        var root = await PutNodeAsync(store, new DagPbNode([new DagPbLink(leaf, "", 3)], data));
        var error = await Assert.ThrowsAsync<MalformedDataException>(() => UnixFsImporterTests.ReadAllAsync(new UnixFsReader(store), root));
        Assert.Contains("declares 4 bytes", error.Message, StringComparison.Ordinal);

        var mismatch = new UnixFsData { Type = UnixFsType.File, FileSize = 3, BlockSizes = [3, 0] }.Encode();
        var sisters = await PutNodeAsync(store, new DagPbNode([new DagPbLink(leaf, "", 3)], mismatch));
        await Assert.ThrowsAsync<MalformedDataException>(() => UnixFsImporterTests.ReadAllAsync(new UnixFsReader(store), sisters));

        var wrongTotal = new UnixFsData { Type = UnixFsType.File, FileSize = 5, BlockSizes = [3] }.Encode();
        var total = await PutNodeAsync(store, new DagPbNode([new DagPbLink(leaf, "", 3)], wrongTotal));
        await Assert.ThrowsAsync<MalformedDataException>(() => new UnixFsReader(store).StatAsync(total));
    }

    [Fact]
    public async Task InlineDataAndLegacyRawLeavesAreRead()
    {
        var store = new MemoryBlockStore();
        var legacy = await PutNodeAsync(store, new DagPbNode([], new UnixFsData { Type = UnixFsType.Raw, Data = "def"u8.ToArray(), FileSize = 3 }.Encode()));
        var data = new UnixFsData { Type = UnixFsType.File, Data = "abc"u8.ToArray(), FileSize = 6, BlockSizes = [3] }.Encode();
        var root = await PutNodeAsync(store, new DagPbNode([new DagPbLink(legacy)], data));
        var reader = new UnixFsReader(store);
        Assert.Equal("abcdef"u8.ToArray(), await UnixFsImporterTests.ReadAllAsync(reader, root));
        Assert.Equal("cde"u8.ToArray(), await UnixFsImporterTests.ReadAllAsync(reader, root, 2, 3));
    }

    [Fact]
    public async Task DepthBeyondTheLimitIsRefused()
    {
        var options = new UnixFsImportOptions { ChunkSize = 10, MaxLinksPerNode = 2 };
        var (store, root, _) = await ImportAsync(100, 10, options);
        var shallow = new UnixFsReader(store, new UnixFsReaderOptions { MaxDepth = 2 });
        await Assert.ThrowsAsync<LimitExceededException>(() => UnixFsImporterTests.ReadAllAsync(shallow, root));
        Assert.Equal(100, (await UnixFsImporterTests.ReadAllAsync(new UnixFsReader(store), root)).Length);
    }

    [Fact]
    public async Task SeekableStreamReadsFromAnyPosition()
    {
        var (store, root, bytes) = await ImportAsync(3 * MiB + 5, 12);
        var reader = new UnixFsReader(store);
        await using var stream = await reader.OpenReadAsync(root);
        Assert.Equal(bytes.Length, stream.Length);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        stream.Position = MiB - 3;
        var buffer = new byte[10];
        await stream.ReadExactlyAsync(buffer);
        Assert.Equal(bytes.AsSpan(MiB - 3, 10).ToArray(), buffer);
        stream.Seek(-2, SeekOrigin.End);
        Assert.Equal(2, await stream.ReadAsync(buffer));
        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    [Fact]
    public async Task StatDescribesRawFilesAndFileNodes()
    {
        var (store, root, _) = await ImportAsync(MiB + 1, 13);
        var reader = new UnixFsReader(store);
        Assert.Equal(new UnixFsStat(root, UnixFsType.File, MiB + 1), await reader.StatAsync(root));
        var leaf = DagPbCodec.Decode((await store.GetAsync(root))!.Value.Span).Links[1].Hash;
        Assert.Equal(new UnixFsStat(leaf, UnixFsType.File, 1), await reader.StatAsync(leaf));
    }

    [Fact]
    public async Task IdentityCidsNeedNoStore()
    {
        var inline = Cid.CreateV1(Multicodec.Raw, Multihash.Create(Multicodec.Identity, "tiny"u8));
        Assert.Equal("tiny"u8.ToArray(), await UnixFsImporterTests.ReadAllAsync(new UnixFsReader(new MemoryBlockStore()), inline));
    }

    [Fact]
    public async Task NonUnixFsCodecsAreMalformed()
    {
        var cbor = Cid.Compute(Multicodec.DagCbor, [0xa0]);
        var store = new MemoryBlockStore();
        await store.PutAsync(cbor, new byte[] { 0xa0 });
        await Assert.ThrowsAsync<MalformedDataException>(() => new UnixFsReader(store).StatAsync(cbor));
        var bare = await PutNodeAsync(store, new DagPbNode([]));
        await Assert.ThrowsAsync<MalformedDataException>(() => new UnixFsReader(store).StatAsync(bare));
    }

    [Fact]
    public async Task OpeningAFileLargerThanAStreamCanAddressIsMalformedNotAnOverflow()
    {
        // One link claiming 2^63 bytes: a valid ulong, but past what Stream.Length can hold.
        var store = new MemoryBlockStore();
        var leaf = Cid.Compute(Multicodec.Raw, "x"u8);
        var data = new UnixFsData { Type = UnixFsType.File, BlockSizes = [1UL << 63] }.Encode();
        var root = await PutNodeAsync(store, new DagPbNode([new DagPbLink(leaf, "")], data));
        await Assert.ThrowsAsync<MalformedDataException>(() => new UnixFsReader(store).OpenReadAsync(root));
    }

    internal static async Task<Cid> PutNodeAsync(IBlockStore store, DagPbNode node)
    {
        var block = DagPbCodec.Encode(node);
        var cid = Cid.Compute(Multicodec.DagPb, block);
        await store.PutAsync(cid, block);
        return cid;
    }
}
