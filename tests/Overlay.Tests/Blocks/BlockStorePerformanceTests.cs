using System.Diagnostics;
using Overlay.Blocks;
using Overlay.Manifest.Multiformats;
using Overlay.Tests.Shared;
using Xunit.Abstractions;

namespace Overlay.Tests.Blocks;

/// <summary>Put rates of durable 1 MiB puts, one at a time and 32 at once; figures go to the test output.</summary>
public sealed class BlockStorePerformanceTests(ITestOutputHelper output) : IDisposable
{
    private const int BlockSize = 1 << 20;
    private readonly string _directory = Directory.CreateTempSubdirectory("overlay-blocks-perf-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Durable_1_MiB_puts_sequential_and_32_concurrent()
    {
        var blocks = Enumerable.Range(0, 128).Select(i =>
        {
            var data = DeterministicBytes.Generate((ulong)(1000 + i), BlockSize);
            return (Cid: Cid.Compute(Multicodec.Raw, data), Data: data);
        }).ToArray();

        var sequential = new FileBlockStore(Path.Combine(_directory, "seq"));
        sequential.EnsureCreated();
        var watch = Stopwatch.StartNew();
        foreach (var (cid, data) in blocks[..64])
        {
            await sequential.PutAsync(cid, data);
        }
        var sequentialRate = 64 / watch.Elapsed.TotalSeconds;

        var concurrent = new FileBlockStore(Path.Combine(_directory, "par"));
        concurrent.EnsureCreated();
        watch.Restart();
        await Parallel.ForEachAsync(blocks, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (b, ct) => await concurrent.PutAsync(b.Cid, b.Data, ct));
        var concurrentRate = blocks.Length / watch.Elapsed.TotalSeconds;

        output.WriteLine($"1 MiB durable puts: sequential {sequentialRate:0} blocks/s, 32 concurrent {concurrentRate:0} blocks/s");
        foreach (var (cid, data) in blocks)
        {
            Assert.Equal(data, (await concurrent.GetAsync(cid))!.Value.ToArray());
        }
    }

    [Fact]
    public async Task The_opening_scan_of_10_000_blocks_is_fast()
    {
        var root = Path.Combine(_directory, "scan");
        long total = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var data = DeterministicBytes.Generate((ulong)i, 256 + (i % 100));
            var path = Path.Combine(root, FileBlockStore.RelativePathOf(Multihash.Sha2_256(data)));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, data);
            total += data.Length;
        }

        var watch = Stopwatch.StartNew();
        var store = new FileBlockStore(root);
        Assert.Equal(10_000, store.Count);
        watch.Stop();

        Assert.Equal(total, store.SizeInBytes);
        output.WriteLine($"opening scan of 10 000 blocks: {watch.ElapsedMilliseconds} ms");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"scan took {watch.Elapsed}");
    }
}
