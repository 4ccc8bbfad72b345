using System.Diagnostics;
using Overlay.Addressing;
using Overlay.Bitswap;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;
using Overlay.Tests.Shared;
using Xunit.Abstractions;

namespace Overlay.Tests.Bitswap;

/// <summary>Files both ways between our node and a real Helia 7 node (tests/js/helia-peer.mjs) over TCP, Noise, yamux.</summary>
[Collection(BitswapTransfersCollection.Name)]
public sealed class HeliaBitswapInteropTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static TheoryData<long> Sizes => new() { 4L << 20, 64L << 20 };

    private static async Task<(JsProcess Js, PeerId Peer, Multiaddr Address)> StartHeliaAsync()
    {
        var js = JsProcess.Start("helia-peer.mjs");
        var ready = await js.WaitForEventAsync(e => (string?)e["event"] == "ready", Timeout);
        return (js, PeerId.Parse((string)ready["peerId"]!), Multiaddr.Parse((string)ready["addrs"]![0]!));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Helia_fetches_a_file_we_imported(long size)
    {
        var seed = (ulong)size + 1;
        await using var node = await BitswapNode.StartAsync();
        var root = await node.ImportAsync(seed, size);
        var (js, heliaPeer, _) = await StartHeliaAsync();
        await using var _ = js;

        await js.CommandAsync("dial", new { addr = node.Host.ListenAddresses[0].WithPeer(node.Host.PeerId.Bytes).ToString() }, Timeout);
        var cat = await js.CommandAsync("cat", new { cid = root.ToString(), timeoutMs = (int)Timeout.TotalMilliseconds }, Timeout);

        Assert.Equal(size, (long)cat["length"]!);
        Assert.Equal(BitswapTransferTests.ExpectedSha256(seed, size), (string?)cat["sha256"]);
        var blocks = size / UnixFsImportOptions.ProfileChunkSize + 1;
        Assert.True(node.Bitswap.Metrics.BlocksSent >= blocks, $"{node.Bitswap.Metrics.BlocksSent} blocks sent");
        Assert.Empty(node.Bitswap.Metrics.Rejected);
        var ms = (double)cat["ms"]!;
        output.WriteLine($"Helia fetched {size >> 20} MiB from us: {ms:0} ms, {size / (ms / 1000) / 1e6:0} MB/s; we sent {node.Bitswap.Metrics.BlocksSent} blocks in {node.Bitswap.Metrics.MessagesSent} messages (Helia {heliaPeer})");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task We_fetch_a_file_Helia_added(long size)
    {
        var seed = (ulong)size + 2;
        var (js, heliaPeer, heliaAddress) = await StartHeliaAsync();
        await using var _ = js;
        var added = await js.CommandAsync("add", new { size, seed = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Timeout);
        var root = Cid.Parse((string)added["cid"]!);
        await using var node = await BitswapNode.StartAsync();

        var connection = await node.Host.ConnectAsync(heliaAddress).WaitAsync(Timeout);
        Assert.Equal(heliaPeer, connection.RemotePeer);
        var result = await new DagFetcher(node.Bitswap).FetchAsync(root).WaitAsync(Timeout);

        Assert.Equal(BitswapTransferTests.ExpectedSha256(seed, size), await BitswapTransferTests.Sha256OfAsync(node.Store, root));
        // Same bytes, same settings: our importer gives Helia's CID.
        var again = new UnixFsImporter(new DiscardingBlockStore());
        await using (var content = DeterministicBytes.Open(seed, size))
        {
            Assert.Equal(root, (await again.ImportFileAsync(content)).Cid);
        }
        Assert.Equal(result.Blocks, result.FetchedBlocks);
        Assert.Empty(node.Bitswap.Metrics.Rejected);
        output.WriteLine($"we fetched {size >> 20} MiB from Helia: {result.Elapsed.TotalMilliseconds:0} ms, {result.FetchedBytes / result.Elapsed.TotalSeconds / 1e6:0} MB/s, {node.Bitswap.Metrics.DuplicateBlocks} duplicates, {node.Bitswap.Metrics.MessagesReceived} messages received");
    }
}
