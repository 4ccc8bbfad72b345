using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using Overlay.Addressing;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;
using Overlay.Node;
using Overlay.Repo;
using Overlay.Streams;

using Overlay.Tests.Shared;

namespace Overlay.Bench.Streams;

/// <summary>
/// One live run over in-process nodes: node 0 publishes a live stream (a bundle every
/// <see cref="Interval"/>), every other node follows it; links go through <see cref="LinkRelay"/>s.
/// Latency is from the publisher announcing the head with a bundle to a follower holding it
/// verified (both on this process's monotonic clock). <see cref="LiveJsTopology"/> runs Helia over
/// the same <see cref="Plan"/>, segment size, interval and count.
/// </summary>
internal static class LiveTopology
{
    public const int SegmentBytes = 250_000;

    /// <summary>Faster than real 2 s segments so a run stays short; each segment still crosses the chain long before the next.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <param name="plan">The nodes each node dials (<c>plan[i]</c>, all lower than i), the same graph the js run gets.</param>
    /// <param name="lastOnly">Latencies of the last node only (chains) rather than of every follower.</param>
    /// <param name="segments">Segments published; latencies are taken from those after the first <paramref name="warmup"/>.</param>
    public static async Task<LiveResult> RunAsync(string root, int[][] plan, bool lastOnly, int segments, int warmup)
    {
        var count = plan.Length;
        var nodes = new List<OverlayNode>();
        var relays = new List<LinkRelay>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var identity = Ed25519PrivateKey.Generate();
                var repo = OverlayRepo.Init(Path.Combine(root, $"n{i}"), identity.ToProtobuf(), identity.PeerId.ToString());
                var node = await OverlayNode.StartAsync(repo, new OverlayNodeOptions { ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")] });
                nodes.Add(node);
                relays.Add(new LinkRelay(node.Addresses[0].ToTcpEndPoint()!.Port));
                foreach (var target in plan[i])
                {
                    await node.Host.ConnectAsync(Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{relays[target].Port}/p2p/{nodes[target].PeerId}"));
                }
            }
            var key = Ed25519PrivateKey.Generate();
            foreach (var follower in nodes.Skip(1))
            {
                follower.Streams.Follow(key.PeerId);
            }
            await WaitForMeshesAsync(nodes.Skip(1).ToList(), StreamTopic.Of(key.PeerId));
            var wireBefore = relays.Sum(r => r.BytesForwarded);
            var duplicatesBefore = nodes.Sum(n => n.Bitswap.Metrics.DuplicateBlocks);
            var blocksBefore = nodes.Sum(n => n.Bitswap.Metrics.BlocksReceived);
            var metadata = new StreamMetadata { Title = "bench" };
            var publication = await nodes[0].Streams.PublishLiveAsync(key, first => Source(key, nodes[0].LocalBlocks, first, segments), () => metadata);
            var head = await publication.Completion.WaitAsync(Timeout) ?? throw new InvalidOperationException("no head");
            var deadline = Stopwatch.StartNew();
            while (nodes.Skip(1).Any(n => n.Streams.GetStatus(key.PeerId) is not { Complete: true } s || s.Head != head.Cid.ToString()))
            {
                if (deadline.Elapsed > Timeout)
                {
                    throw new TimeoutException($"not every follower holds {head.Cid}: {string.Join(", ", nodes.Skip(1).Select(n => n.Streams.GetStatus(key.PeerId)?.Held))}");
                }
                await Task.Delay(50);
            }
            var wire = relays.Sum(r => r.BytesForwarded) - wireBefore;
            var announced = publication.AnnouncedAt();
            var latencies = new List<double>();
            foreach (var follower in lastOnly ? nodes.Skip(count - 1) : nodes.Skip(1))
            {
                var held = follower.Streams.HeldTimestamps(key.PeerId);
                latencies.AddRange(announced.Where(a => a.Key >= warmup && held.ContainsKey(a.Key)).Select(a => Stopwatch.GetElapsedTime(a.Value, held[a.Key]).TotalMilliseconds));
            }
            latencies.Sort();
            return new LiveResult(latencies, WireRatio(wire, segments, count),
                nodes.Sum(n => n.Bitswap.Metrics.DuplicateBlocks) - duplicatesBefore, nodes.Sum(n => n.Bitswap.Metrics.BlocksReceived) - blocksBefore);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
            foreach (var relay in relays)
            {
                await relay.DisposeAsync();
            }
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>All links' bytes (both ways) over the payload bytes the followers received.</summary>
    /// <summary>
    /// Waits until every follower's mesh on the stream's topic holds min(D_lo, its links to other
    /// followers) peers, the condition bench-live.mjs waits for on the js side (where the
    /// publisher subscribes up front; here it joins the topic when it starts publishing, with
    /// flood publishing). Counting links, not the topic peers known so far, matters: right after
    /// the follows, subscriptions are still in flight, every node knows zero topic peers, and a
    /// mesh only forms at the next heartbeat; HEADs published before that reach a relay's
    /// neighbours only by gossip, up to a heartbeat later.
    /// </summary>
    private static async Task WaitForMeshesAsync(List<OverlayNode> followers, string topic)
    {
        var dLow = new Overlay.PubSub.PubSubOptions().GossipSub.DLow;
        var ids = followers.Select(n => n.PeerId).ToHashSet();
        int Needed(OverlayNode n) => Math.Min(dLow, n.Host.Connections.Select(c => c.RemotePeer).Distinct().Count(ids.Contains));
        var deadline = Stopwatch.StartNew();
        while (followers.Any(n => n.PubSub.GetMeshPeers(topic).Count(ids.Contains) < Needed(n)))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"meshes not formed after 20 s: sizes {string.Join(", ", followers.Select(n => n.PubSub.GetMeshPeers(topic).Count))}");
            }
            await Task.Delay(100);
        }
    }

    public static double WireRatio(long wireBytes, int segments, int nodes) => wireBytes / ((double)segments * SegmentBytes * (nodes - 1));

    /// <summary>Node i (from 1) dials the nodes <paramref name="dials"/> picks; one generator seeded by the node count, so a topology is the same graph in every run and for both systems.</summary>
    public static int[][] Plan(int nodes, Func<int, Random, IEnumerable<int>> dials)
    {
        var random = new Random(nodes);
        return [.. Enumerable.Range(0, nodes).Select(i => i == 0 ? [] : dials(i, random).ToArray())];
    }

    private static async IAsyncEnumerable<SignedBundle> Source(Ed25519PrivateKey key, IBlockStore store, long first, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var importer = new UnixFsImporter(store);
        var random = new Random(7);
        var bytes = new byte[SegmentBytes];
        for (var seq = first; seq < first + count; seq++)
        {
            await Task.Delay(Interval, cancellationToken);
            random.NextBytes(bytes);
            var payload = (await importer.ImportFileAsync(new MemoryStream(bytes), cancellationToken)).Cid;
            yield return MediaBundles.Sign(key, seq, payload, bytes.Length, PriorityClass.Live, DateTimeOffset.UtcNow);
        }
    }
}
