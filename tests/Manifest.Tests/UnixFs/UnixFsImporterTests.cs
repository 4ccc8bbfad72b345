using System.Text;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.DagPb;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;
using Overlay.Tests.Shared;
using DagPbCodec = Overlay.Manifest.DagPb.DagPb;

namespace Overlay.Manifest.Tests.UnixFs;

public sealed class UnixFsImporterTests
{
    private const int MiB = 1024 * 1024;

    /// <summary>
    /// Root CIDs Helia gave for the SplitMix64 stream (tests/js/unixfs.mjs --size N --seed S,
    /// @helia/unixfs 8.0.5 / ipfs-unixfs-importer 17.1.1 with the unixfs-v1-2025 profile).
    /// The live cross-check is <see cref="UnixFsHeliaCrossCheckTests"/>.
    /// </summary>
    public static TheoryData<long, ulong, string> HeliaRoots() => new()
    {
        { 0, 1, "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku" },
        { 1, 1, "bafkreigrxpltxmersc73rayfm5y6eluzova62iahs6j36m4xl7qwkrmbym" },
        { MiB - 1, 1, "bafkreigg2t43xe2yuuzdxpxjjohyy4k3ng4ei5pcbddx3ykdte27bodvvy" },
        { MiB, 1, "bafkreiefwzvtuwaw22dn5nbpfushhwnhcioow5oiek4dr6kyy5wkq3wy5i" },
        { MiB + 1, 1, "bafybeifhul44cpr2ou4s5dklid27a665xuclmotbu5qpenu3tb5udrygga" },
        { 3 * MiB + 5, 1, "bafybeiagkghlur4nmn2g4pgchmxldofseexm5o5ictn5o6njcc4ssbzn74" },
        { 2 * MiB, 2, "bafybeiaa7z4oshclbvj6rynh6lcrsqiwqrqk6t5chengrkvfp2cjh6okky" },
        { 5_000_000, 3, "bafybeifyuclhfg5p6monrhaaxiozv62miqumwuzxdhfzur3uxffzy7q46y" },
        { 123_456_789, 4, "bafybeibs66vqdi7tx5ffrr76mgoejrtkjjlxui7r67bwd6ygth4m52jwqm" },
    };

    [Theory]
    [MemberData(nameof(HeliaRoots))]
    public async Task MatchesHeliaRootCids(long size, ulong seed, string expected)
    {
        var store = new DiscardingBlockStore();
        var result = await new UnixFsImporter(store).ImportFileAsync(DeterministicBytes.Open(seed, size));
        Assert.Equal(expected, result.Cid.ToString());
        Assert.Equal((ulong)size, result.ContentSize);
        Assert.Equal(store.TotalBytes, (long)result.DagSize);
    }

    [Fact]
    public async Task HelloWorldIsTheProfileVectorRawLeaf()
    {
        // IPIP-499 unixfs-v1-2025 test fixture "Small file: hello world string, raw leaf".
        var result = await new UnixFsImporter(new MemoryBlockStore()).ImportFileAsync(new MemoryStream("hello world"u8.ToArray()));
        Assert.Equal("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", result.Cid.ToString());
    }

    [Fact]
    public async Task EmptyFileIsOneEmptyRawLeafThatIsStored()
    {
        var store = new MemoryBlockStore();
        var result = await new UnixFsImporter(store).ImportFileAsync(Stream.Null);
        Assert.Equal("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", result.Cid.ToString());
        Assert.Equal(0, (await store.GetAsync(result.Cid))!.Value.Length);
        Assert.Equal(0UL, result.DagSize);
    }

    [Fact]
    public async Task TwoChunkRootHasEmptyNamedLinksTsizesAndBlocksizes()
    {
        var store = new MemoryBlockStore();
        var result = await new UnixFsImporter(store).ImportFileAsync(DeterministicBytes.Open(1, MiB + 1));
        var block = (await store.GetAsync(result.Cid))!.Value;
        Assert.Equal(104, block.Length);
        var node = DagPbCodec.Decode(block.Span);
        Assert.Equal(["", ""], node.Links.Select(l => l.Name));
        Assert.Equal([(ulong)MiB, 1UL], node.Links.Select(l => l.Tsize!.Value));
        Assert.All(node.Links, l => Assert.Equal(Multicodec.Raw, l.Hash.Codec));
        var data = UnixFsData.Decode(node.Data!.Value.Span);
        Assert.Equal(UnixFsType.File, data.Type);
        Assert.Equal((ulong)MiB + 1, data.FileSize);
        Assert.Equal([(ulong)MiB, 1UL], data.BlockSizes);
        Assert.Equal(104UL + MiB + 1, result.DagSize);
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public async Task ShortReadsFromTheSourceDoNotChangeTheChunking()
    {
        var bytes = DeterministicBytes.Generate(1, 3 * MiB + 5);
        var result = await new UnixFsImporter(new DiscardingBlockStore()).ImportFileAsync(new TricklingStream(bytes, 4093));
        Assert.Equal("bafybeiagkghlur4nmn2g4pgchmxldofseexm5o5ictn5o6njcc4ssbzn74", result.Cid.ToString());
    }

    [Fact]
    public async Task SmallerWidthBuildsTheBalancedLevelsHeliaWould()
    {
        // Width 2 and 1-byte chunks: 5 leaves -> [2][2][1] -> [2][1] -> [2] -> root, all leaves at depth 3.
        var store = new MemoryBlockStore();
        var options = new UnixFsImportOptions { ChunkSize = 1, MaxLinksPerNode = 2 };
        var result = await new UnixFsImporter(store, options).ImportFileAsync(new MemoryStream("abcde"u8.ToArray()));
        Assert.Equal(new[] { 3, 3, 3, 3, 3 }, await LeafDepthsAsync(store, result.Cid, 0));
        var reader = new UnixFsReader(store);
        Assert.Equal("abcde", Encoding.ASCII.GetString(await ReadAllAsync(reader, result.Cid)));
    }

    [Fact]
    public async Task ReportsProgressPerChunk()
    {
        var reports = new List<long>();
        var options = new UnixFsImportOptions { Progress = new SynchronousProgress(reports.Add) };
        await new UnixFsImporter(new DiscardingBlockStore(), options).ImportFileAsync(DeterministicBytes.Open(5, 2 * MiB + 3));
        Assert.Equal([(long)MiB, 2L * MiB, 2L * MiB + 3], reports);
    }

    [Fact]
    public async Task SourceFailurePropagatesAfterThePendingReadSettles()
    {
        var failing = new FailingStream(DeterministicBytes.Generate(1, 3 * MiB), failAfter: 2 * MiB + 10);
        var error = await Assert.ThrowsAsync<IOException>(() => new UnixFsImporter(new DiscardingBlockStore()).ImportFileAsync(failing));
        Assert.Equal("disk gone", error.Message);
    }

    [Fact]
    public void RejectsOptionsOutsideTheirBounds()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new UnixFsImporter(new MemoryBlockStore(), new UnixFsImportOptions { ChunkSize = 2 * MiB }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UnixFsImporter(new MemoryBlockStore(), new UnixFsImportOptions { MaxLinksPerNode = 1 }));
    }

    internal static async Task<byte[]> ReadAllAsync(UnixFsReader reader, Cid cid, long offset = 0, long? length = null)
    {
        var output = new MemoryStream();
        await foreach (var chunk in reader.ReadAsync(cid, offset, length))
        {
            output.Write(chunk.Span);
        }
        return output.ToArray();
    }

    private static async Task<int[]> LeafDepthsAsync(IBlockStore store, Cid cid, int depth)
    {
        if (cid.Codec == Multicodec.Raw)
        {
            return [depth];
        }
        var node = DagPbCodec.Decode((await store.GetAsync(cid))!.Value.Span);
        var depths = new List<int>();
        foreach (var link in node.Links)
        {
            depths.AddRange(await LeafDepthsAsync(store, link.Hash, depth + 1));
        }
        return [.. depths];
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    /// <summary>Returns at most <c>maxRead</c> bytes per read, like a network stream.</summary>
    internal sealed class TricklingStream(byte[] data, int maxRead) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, maxRead)], cancellationToken);
    }

    private sealed class FailingStream(byte[] data, long failAfter) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= failAfter ? throw new IOException("disk gone") : base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, failAfter - Position)], cancellationToken);
    }
}
