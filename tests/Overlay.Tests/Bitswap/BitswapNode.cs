using Overlay.Bitswap;
using Overlay.Host;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;
using Overlay.Tests.Host;
using Overlay.Tests.Shared;

namespace Overlay.Tests.Bitswap;

/// <summary>A test host (identify, ping) with bitswap over a block store.</summary>
internal sealed class BitswapNode : IAsyncDisposable
{
    private BitswapNode(Libp2pHost host, BitswapService bitswap, IBlockStore store)
    {
        Host = host;
        Bitswap = bitswap;
        Store = store;
    }

    public Libp2pHost Host { get; }

    public BitswapService Bitswap { get; }

    /// <summary>The store underneath bitswap (puts here are not announced).</summary>
    public IBlockStore Store { get; }

    public static async Task<BitswapNode> StartAsync(IBlockStore? store = null, BitswapOptions? options = null)
    {
        var (host, _, _) = await HostTests.StartHostAsync();
        store ??= new MemoryBlockStore();
        var log = Environment.GetEnvironmentVariable("OVERLAY_BITSWAP_LOG");
        return new BitswapNode(host, new BitswapService(host, store, options, log is null ? null : new FileLoggerFactory(log)), store);
    }

    public Task<PeerConnection> ConnectAsync(Libp2pHost other) =>
        Host.ConnectAsync(other.ListenAddresses[0].WithPeer(other.PeerId.Bytes));

    /// <summary>Imports <paramref name="size"/> SplitMix64 bytes of <paramref name="seed"/> (unixfs-v1-2025) through bitswap's store.</summary>
    public async Task<Cid> ImportAsync(ulong seed, long size)
    {
        await using var content = DeterministicBytes.Open(seed, size);
        return (await new UnixFsImporter(Bitswap.LocalStore).ImportFileAsync(content)).Cid;
    }

    public async ValueTask DisposeAsync()
    {
        await Bitswap.DisposeAsync();
        await Host.DisposeAsync();
    }
}
