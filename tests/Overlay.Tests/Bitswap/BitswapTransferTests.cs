using System.Diagnostics;
using System.Security.Cryptography;
using Overlay.Bitswap;
using Overlay.Bitswap.Client;
using Overlay.Blocks;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;
using Overlay.Tests.Shared;
using Xunit.Abstractions;

namespace Overlay.Tests.Bitswap;

/// <summary>Whole files between two in-process hosts over loopback TCP (Noise, yamux).</summary>
[Collection(BitswapTransfersCollection.Name)]
public sealed class BitswapTransferTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("overlay-bitswap-").FullName;

    internal static async Task<string> Sha256OfAsync(IBlockStore store, Cid cid, int prefetch = 4)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await foreach (var chunk in new UnixFsReader(store, new UnixFsReaderOptions { Prefetch = prefetch }).ReadAsync(cid))
        {
            hash.AppendData(chunk.Span);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    internal static string ExpectedSha256(ulong seed, long size)
    {
        using var content = DeterministicBytes.Open(seed, size);
        return Convert.ToHexStringLower(SHA256.HashData(content));
    }

    [Fact]
    public async Task A_50_MiB_file_imported_on_A_is_fetched_by_B_into_a_disk_store_byte_exact()
    {
        const long size = 50L << 20;
        var diskStore = new FileBlockStore(Path.Combine(_directory, "blocks"));
        diskStore.EnsureCreated();
        await using var a = await BitswapNode.StartAsync();
        await using var b = await BitswapNode.StartAsync(diskStore);
        var root = await a.ImportAsync(seed: 50, size);
        await b.ConnectAsync(a.Host);

        var result = await new DagFetcher(b.Bitswap).FetchAsync(root).WaitAsync(Timeout);

        Assert.Equal(51, result.Blocks); // 50 leaves and their parent
        Assert.Equal(51, result.FetchedBlocks);
        Assert.Equal(ExpectedSha256(50, size), await Sha256OfAsync(diskStore, root));
        Assert.Equal(51, b.Bitswap.Metrics.BlocksReceived);
        Assert.Equal(0, b.Bitswap.Metrics.DuplicateBlocks);
        Assert.Empty(b.Bitswap.Metrics.Rejected);
        Assert.Equal(51, a.Bitswap.Metrics.BlocksSent);
        Assert.Empty(b.Bitswap.Client.Wantlist);
        output.WriteLine($"DagFetcher, 50 MiB into a FileBlockStore: {result.Elapsed.TotalMilliseconds:0} ms, {result.FetchedBytes / result.Elapsed.TotalSeconds / 1e6:0} MB/s");
    }

    [Fact]
    public async Task UnixFsReader_over_a_NetworkBlockStore_reads_a_file_that_is_not_local()
    {
        const long size = 24L << 20;
        await using var a = await BitswapNode.StartAsync();
        await using var b = await BitswapNode.StartAsync();
        var root = await a.ImportAsync(seed: 24, size);
        await b.ConnectAsync(a.Host);

        var watch = Stopwatch.StartNew();
        var sha = await Sha256OfAsync(b.Bitswap.Blocks, root, prefetch: 16).WaitAsync(Timeout);
        watch.Stop();

        Assert.Equal(ExpectedSha256(24, size), sha);
        Assert.True(await b.Store.HasAsync(root));
        output.WriteLine($"UnixFsReader over NetworkBlockStore (prefetch 16), 24 MiB: {watch.ElapsedMilliseconds} ms, {size / watch.Elapsed.TotalSeconds / 1e6:0} MB/s");
    }

    [Fact]
    public async Task Wants_are_spread_over_the_peers_that_have_the_blocks()
    {
        const long size = 32L << 20;
        await using var a1 = await BitswapNode.StartAsync();
        await using var a2 = await BitswapNode.StartAsync();
        await using var b = await BitswapNode.StartAsync();
        var root = await a1.ImportAsync(seed: 32, size);
        Assert.Equal(root, await a2.ImportAsync(seed: 32, size));
        await b.ConnectAsync(a1.Host);
        await b.ConnectAsync(a2.Host);

        var result = await new DagFetcher(b.Bitswap).FetchAsync(root).WaitAsync(Timeout);

        Assert.Equal(33, result.FetchedBlocks);
        Assert.Equal(ExpectedSha256(32, size), await Sha256OfAsync(b.Store, root));
        output.WriteLine($"two sources: {a1.Bitswap.Metrics.BlocksSent} + {a2.Bitswap.Metrics.BlocksSent} blocks sent, {b.Bitswap.Metrics.DuplicateBlocks} duplicates, {result.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(a1.Bitswap.Metrics.BlocksSent >= 4, $"a1 sent {a1.Bitswap.Metrics.BlocksSent}");
        Assert.True(a2.Bitswap.Metrics.BlocksSent >= 4, $"a2 sent {a2.Bitswap.Metrics.BlocksSent}");
    }

    [Fact]
    public async Task Blocks_handed_out_keep_their_bytes_after_later_messages_reuse_the_receive_buffers()
    {
        await using var a = await BitswapNode.StartAsync();
        await using var b = await BitswapNode.StartAsync();
        var blocks = Enumerable.Range(0, 24).Select(i => TestBlocks.Raw((ulong)(7000 + i), 700 * 1024)).ToArray();
        foreach (var (cid, data) in blocks)
        {
            await a.Bitswap.LocalStore.PutAsync(cid, data);
        }
        await b.ConnectAsync(a.Host);

        var fetched = new List<FetchedBlock>();
        using var timeout = new CancellationTokenSource(Timeout);
        await foreach (var block in b.Bitswap.Client.GetBlocksAsync(blocks.Select(x => x.Cid), timeout.Token))
        {
            fetched.Add(block);
        }

        // Compared only once all have arrived: the messages after a block's own reused the
        // pooled buffer it came in, so a block handed out without a copy would now be garbage.
        Assert.Equal(blocks.Length, fetched.Count);
        var expected = blocks.ToDictionary(x => x.Cid, x => x.Data);
        foreach (var block in fetched)
        {
            Assert.Equal(expected[block.Cid], block.Data.ToArray());
        }
        Assert.True(b.Bitswap.Metrics.MessagesReceived >= 4, $"{b.Bitswap.Metrics.MessagesReceived} messages: too few to reuse buffers");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
