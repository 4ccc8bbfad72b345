using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Overlay.Addressing;
using Overlay.Bench.P2p;
using Overlay.Bitswap;
using Overlay.Blocks;
using Overlay.Host;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.UnixFs;

namespace Overlay.Bench.Bitswap;

/// <summary>
/// The two Overlay processes of <see cref="BitswapScenario"/>, each what a daemon is for bitswap:
/// a <see cref="Libp2pHost"/>, a <see cref="BitswapService"/> and a block store, either
/// <see cref="FileBlockStore"/> in a fresh temporary repo ("disk") or <see cref="MemoryBlockStore"/> ("memory").
/// <list type="bullet">
/// <item>`--bitswap-serve STORE BYTES`: imports 32 MiB and then BYTES of random data as UnixFS
/// (1 MiB raw leaves, the unixfs-v1-2025 profile), prints {"addr":…,"root":…,"warmup":…} and serves bitswap and
/// /bench/stats/1.0.0 until its standard input closes.</item>
/// <item>`--bitswap-fetch STORE ADDR ROOT WARMUP_ROOT`: connects, fetches WARMUP_ROOT (32 MiB) and deletes it
/// again until the JIT is quiet in both processes (as in a running daemon), then times fetching the whole DAG of ROOT with
/// <see cref="DagFetcher"/> (every block verified and stored); prints bytes, seconds, CPU time and
/// peak RSS of both processes.</item>
/// </list>
/// </summary>
internal static class BitswapPeer
{
    /// <summary>Size of the file fetched before the timed fetch (tests/js/bench-bitswap.mjs fetches it once).</summary>
    public const long WarmupBytes = 32L << 20;

    private const int MinWarmupPasses = 4;
    private const int MaxWarmupPasses = 16;

    /// <summary>
    /// Methods both processes may still compile in one warm-up pass for the JIT to count as quiet:
    /// a few dozen, since tier-1 recompiles of rarely run code trickle on for many passes.
    /// </summary>
    private const long QuietJitMethods = 40;

    private static readonly TimeSpan WarmupPause = TimeSpan.FromMilliseconds(250);

    public static async Task<int> ServeAsync(string storeKind, long bytes)
    {
        using var repo = new TempRepo(storeKind);
        await using var host = new Libp2pHost(new HostOptions
        {
            Identity = Ed25519PrivateKey.Generate(),
            ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        });
        await using var bitswap = new BitswapService(host, repo.Store);
        host.SetStreamHandler(BenchProtocols.Stats, BenchProtocols.StatsAsync);
        await host.StartAsync();
        var importer = new UnixFsImporter(repo.Store);
        await using var warmup = new RandomContent(WarmupBytes);
        var warmupRoot = (await importer.ImportFileAsync(warmup)).Cid;
        await using var content = new RandomContent(bytes);
        var root = (await importer.ImportFileAsync(content)).Cid;
        var address = Multiaddr.Parse($"{host.ListenAddresses[0]}/p2p/{host.PeerId}");
        Console.WriteLine(JsonSerializer.Serialize(new { addr = address.ToString(), root = root.ToString(), warmup = warmupRoot.ToString() }));
        await Console.Out.FlushAsync();
        await using var stdin = Console.OpenStandardInput();
        await stdin.CopyToAsync(Stream.Null);
        return 0;
    }

    public static async Task<int> FetchAsync(string storeKind, string address, string root, string warmupRoot)
    {
        using var repo = new TempRepo(storeKind);
        await using var host = new Libp2pHost(new HostOptions { Identity = Ed25519PrivateKey.Generate() });
        await using var bitswap = new BitswapService(host, repo.Store);
        await host.StartAsync();
        var connection = await host.ConnectAsync(Multiaddr.Parse(address));
        var passes = await WarmUpAsync(bitswap, repo.Store, connection, Cid.Parse(warmupRoot));
        var server = await StatsAsync(connection);
        var client = ProcessStats.Current();
        var watch = Stopwatch.StartNew();
        var result = await new DagFetcher(bitswap).FetchAsync(Cid.Parse(root));
        var seconds = watch.Elapsed.TotalSeconds;
        client = ProcessStats.Current() - client;
        var serverAfter = await StatsAsync(connection);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            bytes = result.FetchedBytes,
            blocks = result.FetchedBlocks,
            seconds,
            clientCpuMs = client.CpuMs,
            serverCpuMs = (serverAfter - server).CpuMs,
            clientPeakRssKiB = ProcessStats.PeakRssKiB(),
            serverPeakRssKiB = serverAfter.PeakRss,
            clientAllocated = client.Allocated,
            serverAllocated = (serverAfter - server).Allocated,
            clientGen2 = GC.CollectionCount(2),
            clientJitMs = client.JitMs,
            serverJitMs = (serverAfter - server).JitMs,
            warmupPasses = passes,
        }));
        return 0;
    }

    /// <summary>
    /// Fetches the warm-up file and deletes it again, pass after pass, until neither process's JIT
    /// compiled more than a handful of methods in a pass (as in a daemon that has been running;
    /// on a busy machine the tiered JIT's background compiles lag, and in the timed fetch they
    /// would take a fifth of the CPU). Returns the passes made.
    /// </summary>
    internal static async Task<int> WarmUpAsync(BitswapService bitswap, IBlockStore store, PeerConnection connection, Cid root)
    {
        var passes = 0;
        var compiled = long.MaxValue;
        while (passes < MinWarmupPasses || (passes < MaxWarmupPasses && compiled > QuietJitMethods))
        {
            var client = ProcessStats.Current();
            var server = await StatsAsync(connection);
            await new DagFetcher(bitswap).FetchAsync(root);
            await foreach (var cid in store.ListAsync())
            {
                await store.DeleteAsync(cid);
            }
            await Task.Delay(WarmupPause);
            var clientPass = ProcessStats.Current() - client;
            var serverPass = await StatsAsync(connection) - server;
            compiled = clientPass.Methods + serverPass.Methods;
            passes++;
        }
        return passes;
    }

    internal static async Task<ProcessStats> StatsAsync(PeerConnection connection)
    {
        await using var stream = await connection.OpenStreamAsync([BenchProtocols.Stats], CancellationToken.None);
        await stream.Output.CompleteAsync();
        return await BenchProtocols.ReadStatsAsync(stream.Input, CancellationToken.None);
    }

    /// <summary>A block store for one process, deleted when the process is done with it.</summary>
    internal sealed class TempRepo : IDisposable
    {
        private readonly string? _path;

        public TempRepo(string kind)
        {
            if (kind == "memory")
            {
                Store = new MemoryBlockStore();
                return;
            }
            if (kind != "disk")
            {
                throw new ArgumentException($"store must be memory or disk, not {kind}");
            }
            _path = Path.Combine(Path.GetTempPath(), "overlay-bench-bitswap-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            var store = new FileBlockStore(_path);
            store.EnsureCreated();
            Store = store;
        }

        public IBlockStore Store { get; }

        public void Dispose()
        {
            if (_path is not null && Directory.Exists(_path))
            {
                Directory.Delete(_path, recursive: true);
            }
        }
    }
}
