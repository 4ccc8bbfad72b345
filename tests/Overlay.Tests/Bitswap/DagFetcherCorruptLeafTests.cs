using Overlay.Bitswap;
using Overlay.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Tests.Bitswap;

/// <summary>
/// A raw leaf whose file is on disk but whose bytes are wrong is not "present": DagFetcher reads
/// it, the store quarantines it and answers it missing, and the leaf is fetched again.
/// </summary>
public sealed class DagFetcherCorruptLeafTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("overlay-dagfetcher-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_corrupt_raw_leaf_on_disk_is_fetched_again_and_the_file_reads_back_whole()
    {
        const long size = 3L << 20;
        var diskStore = new FileBlockStore(Path.Combine(_directory, "blocks"));
        diskStore.EnsureCreated();
        await using var a = await BitswapNode.StartAsync();
        await using var b = await BitswapNode.StartAsync(diskStore);
        var root = await a.ImportAsync(seed: 77, size);
        await b.ConnectAsync(a.Host);
        Assert.Equal(4, (await new DagFetcher(b.Bitswap).FetchAsync(root).WaitAsync(Timeout)).FetchedBlocks);
        var rootBlock = await diskStore.GetAsync(root) ?? throw new InvalidOperationException("root not fetched");
        var leaf = Overlay.Manifest.DagPb.DagPb.Decode(rootBlock.Span).Links[0].Hash;
        Assert.Equal(Multicodec.Raw, leaf.Codec);
        var file = Path.Combine(diskStore.Root, FileBlockStore.RelativePathOf(leaf.Hash));
        var good = await File.ReadAllBytesAsync(file);
        var bad = (byte[])good.Clone();
        bad[^1] ^= 0x5a;
        await File.WriteAllBytesAsync(file, bad);

        var again = await new DagFetcher(b.Bitswap).FetchAsync(root).WaitAsync(Timeout);

        Assert.Equal(4, again.Blocks);
        Assert.Equal(1, again.FetchedBlocks);
        Assert.Equal(good, await File.ReadAllBytesAsync(file));
        Assert.Equal(1, diskStore.Metrics.Quarantined);
        Assert.Equal(BitswapTransferTests.ExpectedSha256(77, size), await BitswapTransferTests.Sha256OfAsync(diskStore, root));
    }
}
