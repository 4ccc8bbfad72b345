using System.Diagnostics;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.UnixFs;
using Overlay.Tests.Shared;
using Xunit.Abstractions;

namespace Overlay.Manifest.Tests.UnixFs;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeImportCollection
{
    /// <summary>Runs alone: it measures throughput and allocation, which other tests would disturb.</summary>
    public const string Name = "large UnixFS imports";
}

/// <summary>1 GiB inputs, generated while read: the importer must stream them, never hold them.</summary>
[Collection(LargeImportCollection.Name)]
public sealed class UnixFsLargeImportTests(ITestOutputHelper output)
{
    private const long GiB = 1L << 30;

    [Theory]
    // 1024 chunks: exactly one full level under the root (Helia: same CIDs, see UnixFsImporterTests).
    [InlineData(GiB, "bafybeif4yrmksgvagaywqonffvdqwnnmpiridkpjego2xsaggblkig5dpa")]
    // 1025 chunks: a second level, the 1025th leaf under its own parent.
    [InlineData(GiB + 1, "bafybeig24otigtbwasrdedfoulf75odr6zxxlaeccfvl3vt4vfwy7kyu74")]
    // 1025 chunks of 1 MiB (Helia, unixfs.mjs --size 1074790400 --seed 1).
    [InlineData(GiB + (1L << 20), "bafybeiglyfnadsgyy4va4yrd3nedscy64toce5b7rchappwnnfisfphxbu")]
    public async Task ImportsAGibibyteStreamingWithHeliasRoot(long size, string expected)
    {
        var store = new DiscardingBlockStore();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var result = await new UnixFsImporter(store).ImportFileAsync(DeterministicBytes.Open(1, size));
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.Equal(expected, result.Cid.ToString());
        Assert.Equal((ulong)size, result.ContentSize);
        Assert.Equal(size == GiB ? 1025 : 1028, store.BlockCount); // 1024 or 1025 leaves, their parents, the root
        // Two pooled 1 MiB buffers and ~1 KiB of bookkeeping per chunk: far below the input.
        Assert.InRange(allocated, 0, 64L << 20);
        output.WriteLine($"{size} bytes in {clock.Elapsed.TotalSeconds:F2} s = {size / clock.Elapsed.TotalSeconds / 1e6:F0} MB/s (generator included), {allocated >> 10} KiB allocated");
    }
}
