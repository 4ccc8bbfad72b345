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
}
