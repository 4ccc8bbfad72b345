using System.Diagnostics;
using System.Text.Json;
using Overlay.Addressing;
using Overlay.Bench.P2p;
using Overlay.Bitswap;
using Overlay.Host;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;

namespace Overlay.Bench.Bitswap;

/// <summary>
/// `--bitswap-read STORE ADDR ROOT WARMUP_ROOT PREFETCH`: the client of <see cref="PrefetchScenario"/>.
/// Like `--bitswap-fetch` (<see cref="BitswapPeer"/>), but the timed fetch is what the daemon's
/// <c>cat</c> does: a <see cref="UnixFsReader"/> with look-ahead PREFETCH over a
/// <see cref="NetworkBlockStore"/> (local store first, missing blocks over one bitswap session,
/// verified and kept), reading the file's bytes in order. Prints bytes, seconds, CPU time and
/// peak RSS of both processes.
/// </summary>
internal static class BitswapReadPeer
{
    public static async Task<int> ReadAsync(string storeKind, string address, string root, string warmupRoot, int prefetch)
    {
        using var repo = new BitswapPeer.TempRepo(storeKind);
        await using var host = new Libp2pHost(new HostOptions { Identity = Ed25519PrivateKey.Generate() });
        await using var bitswap = new BitswapService(host, repo.Store);
        await host.StartAsync();
        var connection = await host.ConnectAsync(Multiaddr.Parse(address));
        var options = new UnixFsReaderOptions { Prefetch = prefetch };
        var passes = await BitswapPeer.WarmUpAsync(bitswap, repo.Store, connection, Cid.Parse(warmupRoot));
        // One pass through the reader too, so its own code is compiled before the timed read.
        await ReadAllAsync(new UnixFsReader(new NetworkBlockStore(bitswap), options), Cid.Parse(warmupRoot));
        await foreach (var cid in repo.Store.ListAsync())
        {
            await repo.Store.DeleteAsync(cid);
        }
        var server = await BitswapPeer.StatsAsync(connection);
        var client = ProcessStats.Current();
        var watch = Stopwatch.StartNew();
        var bytes = await ReadAllAsync(new UnixFsReader(new NetworkBlockStore(bitswap), options), Cid.Parse(root));
        var seconds = watch.Elapsed.TotalSeconds;
        client = ProcessStats.Current() - client;
        var serverAfter = await BitswapPeer.StatsAsync(connection);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            bytes,
            seconds,
            clientCpuMs = client.CpuMs,
            serverCpuMs = (serverAfter - server).CpuMs,
            clientPeakRssKiB = ProcessStats.PeakRssKiB(),
            serverPeakRssKiB = serverAfter.PeakRss,
            warmupPasses = passes,
        }));
        return 0;
    }

    private static async Task<long> ReadAllAsync(UnixFsReader reader, Cid root)
    {
        long bytes = 0;
        await foreach (var chunk in reader.ReadAsync(root))
        {
            bytes += chunk.Length;
        }
        return bytes;
    }
}
