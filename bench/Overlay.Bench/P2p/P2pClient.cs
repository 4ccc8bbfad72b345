using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Overlay.Addressing;
using Overlay.Host;
using Overlay.Manifest.Keys;

namespace Overlay.Bench.P2p;

/// <summary>
/// `Overlay.Bench --client throughput|latency …`: the dialing side, run as its own process so it
/// starts as cold as the js client does. Arguments and output match tests/js/bench-libp2p.mjs.
/// </summary>
internal static class P2pClient
{
    public static Task<int> RunAsync(string[] args) => args switch
    {
        ["throughput", var address, var streams, var bytes, var writeSize, var warmupBytes] =>
            ThroughputAsync(Multiaddr.Parse(address), Int(streams), Long(bytes), Int(writeSize), Long(warmupBytes)),
        ["latency", var address, var count, var warmup] => LatencyAsync(Multiaddr.Parse(address), Int(count), Int(warmup)),
        _ => throw new ArgumentException("usage: --client throughput ADDR STREAMS BYTES WRITE_SIZE WARMUP_BYTES | latency ADDR COUNT WARMUP"),
    };

    /// <summary>
    /// Warm-up passes before the timed one, each followed by a pause in which the tiered JIT's
    /// background compiler can catch up. At least the minimum (what tests/js/bench-libp2p.mjs
    /// does), then more until a pass compiles next to nothing in either process: on a busy
    /// machine the background compiler falls behind, and its rejits of the hot path would
    /// otherwise land in the timed pass.
    /// </summary>
    private const int MinWarmupPasses = 4;

    private const int MaxWarmupPasses = 20;

    /// <summary>Methods both processes may still compile in one warm-up pass for the JIT to count as quiet.</summary>
    private const long QuietJitMethods = 10;

    /// <summary>
    /// Streams per warm-up pass: enough that code run once per stream (opening, negotiation,
    /// closing) also reaches the JIT's call-count thresholds, not only the per-frame code.
    /// </summary>
    private const int WarmupStreams = 32;

    private static readonly TimeSpan WarmupPause = TimeSpan.FromMilliseconds(250);

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static long Long(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    private static Libp2pHost NewHost() => new(new HostOptions { Identity = Ed25519PrivateKey.Generate() });

    /// <summary>
    /// One connection; warm-up passes of <paramref name="warmupBytes"/> over
    /// <see cref="WarmupStreams"/> streams, each with a pause, until the JIT is quiet (as it is in
    /// a node that has been running), then <paramref name="streams"/> concurrent sink streams
    /// sharing <paramref name="bytes"/>. Prints bytes, seconds, and the CPU time, allocations and
    /// JIT time of each process meanwhile.
    /// </summary>
    private static async Task<int> ThroughputAsync(Multiaddr address, int streams, long bytes, int writeSize, long warmupBytes)
    {
        await using var host = NewHost();
        await host.StartAsync();
        var connection = await host.ConnectAsync(address);
        var block = new byte[writeSize];
        new Random(1).NextBytes(block);

        var passes = 0;
        var compiled = long.MaxValue;
        while (passes < MinWarmupPasses || (passes < MaxWarmupPasses && compiled > QuietJitMethods))
        {
            var clientBefore = ProcessStats.Current();
            var serverBefore = await ServerStatsAsync(connection);
            await TransferAsync(connection, WarmupStreams, warmupBytes / WarmupStreams, block);
            await Task.Delay(WarmupPause);
            compiled = (ProcessStats.Current() - clientBefore).Methods + (await ServerStatsAsync(connection) - serverBefore).Methods;
            passes++;
        }
        var server = await ServerStatsAsync(connection);
        var client = ProcessStats.Current();
        var watch = Stopwatch.StartNew();
        await TransferAsync(connection, streams, bytes / streams, block);
        var seconds = watch.Elapsed.TotalSeconds;
        client = ProcessStats.Current() - client;
        server = await ServerStatsAsync(connection) - server;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            bytes = bytes / streams * streams,
            seconds,
            clientCpuMs = client.CpuMs,
            serverCpuMs = server.CpuMs,
            clientAllocated = client.Allocated,
            serverAllocated = server.Allocated,
            clientJitMs = client.JitMs,
            serverJitMs = server.JitMs,
            warmupPasses = passes,
        }));
        return 0;
    }

    private static Task TransferAsync(PeerConnection connection, int streams, long perStream, byte[] block) =>
        Task.WhenAll(Enumerable.Range(0, streams).Select(_ => Task.Run(() => SinkAsync(connection, perStream, block))));

    private static async Task SinkAsync(PeerConnection connection, long bytes, byte[] block)
    {
        await using var stream = await connection.OpenStreamAsync([BenchProtocols.Sink], CancellationToken.None);
        for (long sent = 0; sent < bytes; sent += block.Length)
        {
            await stream.Output.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, bytes - sent)));
        }
        await stream.Output.CompleteAsync();
        var counted = (await BenchProtocols.ReadInt64sAsync(stream.Input, 1, CancellationToken.None))[0];
        if (counted != bytes)
        {
            throw new InvalidDataException($"sink counted {counted} of {bytes} bytes");
        }
    }

    private static async Task<ProcessStats> ServerStatsAsync(PeerConnection connection)
    {
        await using var stream = await connection.OpenStreamAsync([BenchProtocols.Stats], CancellationToken.None);
        await stream.Output.CompleteAsync();
        return await BenchProtocols.ReadStatsAsync(stream.Input, CancellationToken.None);
    }

    /// <summary>
    /// <paramref name="warmup"/> + <paramref name="count"/> fresh connections, each timed from
    /// dial to the first byte echoed on a new stream; prints the last <paramref name="count"/> in ms.
    /// </summary>
    private static async Task<int> LatencyAsync(Multiaddr address, int count, int warmup)
    {
        await using var host = NewHost();
        await host.StartAsync();
        var ms = new List<double>(count);
        var one = new byte[1];
        for (var i = 0; i < warmup + count; i++)
        {
            var watch = Stopwatch.StartNew();
            var connection = await host.ConnectAsync(address);
            var stream = await connection.OpenStreamAsync([BenchProtocols.Ping], CancellationToken.None);
            one[0] = (byte)i;
            await stream.Output.WriteAsync(one);
            while (true)
            {
                var result = await stream.Input.ReadAsync();
                if (!result.Buffer.IsEmpty)
                {
                    stream.Input.AdvanceTo(result.Buffer.End);
                    break;
                }
                if (result.IsCompleted)
                {
                    throw new InvalidDataException("ping stream answered nothing");
                }
                stream.Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
            var elapsed = watch.Elapsed.TotalMilliseconds;
            if (i >= warmup)
            {
                ms.Add(elapsed);
            }
            await stream.Output.CompleteAsync();
            await stream.DisposeAsync();
            await connection.DisposeAsync();
        }
        Console.WriteLine(JsonSerializer.Serialize(new { ms }));
        return 0;
    }
}
