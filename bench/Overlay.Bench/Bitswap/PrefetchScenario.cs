using System.Globalization;
using System.Text.Json;
using Overlay.Bench.P2p;

namespace Overlay.Bench.Bitswap;

/// <summary>
/// How much look-ahead a network-backed read needs: the daemon's <c>cat</c>/<c>get</c> path
/// (<see cref="Manifest.UnixFs.UnixFsReader"/> over <see cref="Overlay.Bitswap.NetworkBlockStore"/>,
/// on-disk stores, and in-memory stores to see the network path alone) fetching a 1 GiB file from
/// a bench child process, at prefetch depths 4–64,
/// next to <see cref="Overlay.Bitswap.DagFetcher"/> (what the bitswap scenario times) on the same
/// server. One server per store and run; each client is a fresh process; the order rotates per run.
/// </summary>
internal sealed class PrefetchScenario : IScenario
{
    private const long Bytes = 1L << 30;
    private static readonly int[] Depths = [4, 8, 16, 32, 64];
    private static readonly string[] Stores = ["memory", "disk"];

    public bool FullRunOnly => true;

    public string Name => "bitswap-prefetch";

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchContext context)
    {
        var load = DaemonBitswapScenario.Load();
        var runs = context.Quick ? 1 : 3;
        var rates = new Dictionary<string, Samples>();
        var cpu = new Dictionary<string, Samples>();
        var (self, prefix) = ChildModes.SelfCommand();
        var clients = Depths.Select(d => (Key: d.ToString(CultureInfo.InvariantCulture), Mode: "--bitswap-read", Extra: (string[])[d.ToString(CultureInfo.InvariantCulture)]))
            .Append((Key: "dagfetcher", Mode: "--bitswap-fetch", Extra: []))
            .ToArray();
        for (var run = 0; run < runs; run++)
        {
            foreach (var store in Stores)
            {
                await RunClientsAsync(self, prefix, store, clients, run, rates, cpu);
            }
        }
        var loads = $"{load} → {DaemonBitswapScenario.Load()}";
        return Stores.SelectMany(store => clients.Select(c =>
        {
            var key = $"{store}/{c.Key}";
            var rate = rates[key];
            var stores = store == "disk" ? "on-disk stores" : "in-memory stores";
            var label = c.Key == "dagfetcher"
                ? $"bitswap fetch of a 1 GiB file, bench child processes, {stores}, DagFetcher (up to 128 blocks in flight, BitswapOptions.MaxOutstandingWants)"
                : $"bitswap read of a 1 GiB file, bench child processes, {stores}, UnixFsReader over NetworkBlockStore (the daemon's cat path), prefetch {c.Key}";
            return new BenchmarkRow(label, "MB/s", Math.Round(rate.Median, 2), null, null, null, rate.Count, context.Today)
            {
                OverlayMin = rate.Min,
                OverlayMax = rate.Max,
                Note = $"client + server CPU {cpu[key].Median:0.00} s/GiB; same server process for every client in a run; 1-min load average before → after: {loads}",
            };
        })).ToList();
    }

    private static async Task RunClientsAsync(string self, string[] prefix, string store, (string Key, string Mode, string[] Extra)[] clients, int run, Dictionary<string, Samples> rates, Dictionary<string, Samples> cpu)
    {
        await using var server = await ServerProcess.StartAsync(self, [.. prefix, "--bitswap-serve", store, Bytes.ToString(CultureInfo.InvariantCulture)]);
        for (var i = 0; i < clients.Length; i++)
        {
            var (name, mode, extra) = clients[(i + run) % clients.Length];
            var key = $"{store}/{name}";
            var result = await ProcessRunner.RunAsync(self, [.. prefix, mode, store, server.Address, server.Field("root"), server.Field("warmup"), .. extra]);
            using var json = JsonDocument.Parse(result.Stdout);
            var r = json.RootElement;
            var bytes = r.GetProperty("bytes").GetDouble();
            if (bytes < Bytes)
            {
                throw new InvalidOperationException($"{mode} {key} fetched {bytes} of {Bytes} bytes");
            }
            Samples(rates, key).Add(bytes / 1e6 / r.GetProperty("seconds").GetDouble());
            Samples(cpu, key).Add((r.GetProperty("clientCpuMs").GetDouble() + r.GetProperty("serverCpuMs").GetDouble()) / 1000 / (bytes / (1 << 30)));
        }
    }

    private static Samples Samples(Dictionary<string, Samples> all, string key)
    {
        if (!all.TryGetValue(key, out var found))
        {
            all[key] = found = new Samples();
        }
        return found;
    }
}
