using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using Overlay.Addressing;
using Overlay.Host;
using Overlay.Manifest.Keys;
using Overlay.PubSub;

namespace Overlay.Bench.PubSub;

/// <summary>
/// `Overlay.Bench --gossipsub NODES MESSAGES SIZE RATE`: NODES Overlay nodes in this one process,
/// each a <see cref="Libp2pHost"/> on loopback TCP (Noise, yamux) with a <see cref="PubSubService"/>
/// (gossipsub v1.1, default parameters: D 6, D_lo 5, D_hi 12, 1 s heartbeat, flood publishing,
/// StrictSign), all subscribed to one topic. Node i dials nodes i+1, i+2, i+4 and i+8 (mod NODES).
/// Once every mesh has D_lo peers (or 15 s passed), MESSAGES messages of SIZE bytes are published
/// at RATE per second by the nodes in turn. Prints each delivery's latency (publish call to the
/// subscriber reading it; one clock, one process), the deliveries expected, and the duplicate
/// copies all nodes received. tests/js/bench-gossipsub.mjs does the same with js-libp2p.
/// </summary>
internal static class GossipsubMesh
{
    private const string Topic = "overlay-bench";
    private static readonly int[] DialOffsets = [1, 2, 4, 8];
    private static readonly TimeSpan MeshTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(int nodes, int messages, int size, double rate)
    {
        var hosts = new List<Libp2pHost>();
        var services = new List<PubSubService>();
        var sentAt = new long[messages];
        var latencies = new List<double>();
        var readers = new List<Task>();
        using var stop = new CancellationTokenSource();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                var host = new Libp2pHost(new HostOptions
                {
                    Identity = Ed25519PrivateKey.Generate(),
                    ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
                });
                hosts.Add(host);
                var service = new PubSubService(host);
                services.Add(service);
                await host.StartAsync();
                var subscription = service.Subscribe(Topic);
                readers.Add(Task.Run(async () =>
                {
                    await foreach (var message in subscription.Messages.ReadAllAsync(stop.Token))
                    {
                        var now = Stopwatch.GetTimestamp();
                        var index = BinaryPrimitives.ReadInt32BigEndian(message.Data.Span);
                        lock (latencies)
                        {
                            latencies.Add(Stopwatch.GetElapsedTime(Volatile.Read(ref sentAt[index]), now).TotalMilliseconds);
                        }
                    }
                }));
            }
            var addresses = hosts.Select(h => Multiaddr.Parse($"{h.ListenAddresses[0]}/p2p/{h.PeerId}")).ToArray();
            await Task.WhenAll(Enumerable.Range(0, nodes).SelectMany(i => DialOffsets
                .Where(o => o < nodes)
                .Select(o => hosts[i].ConnectAsync(addresses[(i + o) % nodes]))));
            var meshWait = Stopwatch.StartNew();
            var dLow = new PubSubOptions().GossipSub.DLow;
            while (services.Any(s => s.GetMeshPeers(Topic).Count < dLow) && meshWait.Elapsed < MeshTimeout)
            {
                await Task.Delay(100);
            }
            var meshSizes = services.Select(s => s.GetMeshPeers(Topic).Count).ToArray();
            var duplicatesBefore = services.Sum(s => s.Metrics.Duplicates);
            var payload = new byte[size];
            var interval = TimeSpan.FromSeconds(1 / rate);
            var start = Stopwatch.GetTimestamp();
            for (var m = 0; m < messages; m++)
            {
                var due = start + (long)(m * interval.TotalSeconds * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }
                BinaryPrimitives.WriteInt32BigEndian(payload, m);
                Volatile.Write(ref sentAt[m], Stopwatch.GetTimestamp());
                services[m % nodes].Publish(Topic, payload);
            }
            await Task.Delay(DrainTime);
            var duplicates = services.Sum(s => s.Metrics.Duplicates) - duplicatesBefore;
            double[] ms;
            lock (latencies)
            {
                ms = [.. latencies];
            }
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                ms,
                expected = (long)messages * (nodes - 1),
                duplicates,
                meshSizeMin = meshSizes.Min(),
                meshSizeMax = meshSizes.Max(),
                meshSizeMean = meshSizes.Average(),
                meshWaitSeconds = meshWait.Elapsed.TotalSeconds,
            }));
            return 0;
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
            try
            {
                await Task.WhenAll(readers);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
