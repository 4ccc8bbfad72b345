using Overlay.Addressing;
using Overlay.Manifest.Keys;
using Overlay.Manifest.UnixFs;
using Overlay.Node;
using Overlay.Repo;
using Overlay.Streams;
using Overlay.Streams.Sync;
using Overlay.Tests.Bitswap;

namespace Overlay.Tests.Streams;

/// <summary>Publishing and following streams between in-process nodes over TCP (specs/stream-protocol.md).</summary>
public sealed class StreamServiceTests : IDisposable
{
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>A whole test's bound, so a stuck network test fails with its name instead of stalling the run.</summary>
    internal const int TestTimeoutMilliseconds = 240_000;
    private static readonly Multiaddr[] Loopback = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")];

    // Heads are announced once by the publisher and then only on REQUEST, so a follower that
    // subscribes later can only get one by asking.
    internal static readonly StreamServiceOptions Quick = new()
    {
        RequestDelay = TimeSpan.FromMilliseconds(500),
        AnnounceInterval = TimeSpan.FromMinutes(10),
        AnswerInterval = TimeSpan.FromMilliseconds(100),
        RetryDelay = TimeSpan.FromMilliseconds(500),
    };

    /// <summary>
    /// These tests are about the topic's HEAD/HAVE/REQUEST and bitswap: nodes take no stream they
    /// do not follow from a sync peer (specs/sync.md §4), so what a follower holds it fetched itself.
    /// </summary>
    internal static readonly SyncOptions FollowOnly = new() { CarryNew = false };

    private readonly string _root = Path.Combine(Path.GetTempPath(), "overlay-stream-tests", Guid.NewGuid().ToString("N"));

    [Fact(Timeout = TestTimeoutMilliseconds)]
    public async Task A_late_joiner_two_hops_away_gets_the_head_by_request_and_every_segment_byte_for_byte()
    {
        await using var a = await StartAsync("a");
        await using var b = await StartAsync("b");
        var key = Ed25519PrivateKey.Generate();
        var stream = await TestStream.BuildAsync(key, a.LocalBlocks, count: 6, seed: 10);
        var published = await a.Streams.PublishAsync(stream.Head);
        Assert.True(published.Own);
        Assert.Equal(key.PeerId.ToBase36Name(), published.Address);

        await b.Host.ConnectAsync(a.Addresses[0]).WaitAsync(Timeout);
        b.Streams.Follow(key.PeerId);
        using var timeout = new CancellationTokenSource(Timeout);
        var atB = await b.Streams.WaitCompleteAsync(key.PeerId, cancellationToken: timeout.Token);
        Assert.Equal(stream.Head.Cid.ToString(), atB.Head);
        Assert.True(atB.Sealed);
        Assert.Equal("test", atB.Title);

        // C is connected to B only, and subscribes after every HEAD has been sent.
        var cRepo = NewRepo("c");
        await using (var c = await OverlayNode.StartAsync(cRepo, new OverlayNodeOptions { ListenAddresses = Loopback, Streams = Quick, Sync = FollowOnly }))
        {
            await c.Host.ConnectAsync(b.Addresses[0]).WaitAsync(Timeout);
            c.Streams.Follow(key.PeerId);
            var atC = await c.Streams.WaitCompleteAsync(key.PeerId, cancellationToken: timeout.Token);
            Assert.Equal(6, atC.Held);
            Assert.Equal(stream.Segments.Sum(s => (long)s.Length), atC.Bytes);
            Assert.DoesNotContain(c.Host.Connections, connection => connection.RemotePeer == a.PeerId);
            // A late copy of an older head (gossip under load can reorder) is ignored, not a failure; anything else is.
            Assert.DoesNotContain(c.Streams.Metrics.HeadsRejected, r => r.Key != HeadRejection.Replay && r.Value > 0);
            Assert.Equal(6, c.Streams.Metrics.BundlesVerified);
            // A followed stream is kept by the stream retention, not a pin: GC leaves all of it (specs/repo.md §6).
            Assert.Null(await c.Repo.Pins.IsPinnedAsync(stream.Head.Cid));
            await foreach (var _ in c.Repo.Pins.CollectGarbageAsync())
            {
            }
            Assert.True(await c.Repo.Blocks.HasAsync(stream.Head.Cid));
            foreach (var payload in stream.Payloads)
            {
                Assert.True(await c.Repo.Blocks.HasAsync(payload));
            }
        }
        // Every segment is in C's own repo, identical to what A imported.
        var local = new UnixFsReader(cRepo.Blocks);
        for (var i = 0; i < stream.Payloads.Count; i++)
        {
            using var read = new MemoryStream();
            await foreach (var chunk in local.ReadAsync(stream.Payloads[i]))
            {
                read.Write(chunk.Span);
            }
            Assert.Equal(stream.Segments[i], read.ToArray());
        }

        // Restarted alone, C resumes from its saved head and re-verifies what it holds locally.
        await using var again = await OverlayNode.StartAsync(OverlayRepo.Open(cRepo.RootPath), new OverlayNodeOptions { ListenAddresses = Loopback, Streams = Quick, Sync = FollowOnly });
        var resumed = await again.Streams.WaitCompleteAsync(key.PeerId, cancellationToken: timeout.Token);
        Assert.Equal(stream.Head.Cid.ToString(), resumed.Head);
        Assert.False(resumed.Own);
    }

    [Fact(Timeout = TestTimeoutMilliseconds)]
    public async Task A_follower_with_nothing_connected_keeps_asking_and_holds_nothing()
    {
        await using var lonely = await StartAsync("lonely");
        var stream = Ed25519PrivateKey.Generate().PeerId;
        var status = lonely.Streams.Follow(stream);
        Assert.Null(status.Head);
        Assert.False(status.Complete);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var later = lonely.Streams.GetStatus(stream)!;
        Assert.Equal(0, later.Total);
        Assert.Contains(lonely.Streams.List(), s => s.Address == stream.ToBase36Name());
    }

    internal Task<OverlayNode> StartAsync(string name) =>
        OverlayNode.StartAsync(NewRepo(name), new OverlayNodeOptions { ListenAddresses = Loopback, Streams = Quick, Sync = FollowOnly });

    internal OverlayRepo NewRepo(string name)
    {
        var key = Ed25519PrivateKey.Generate();
        return OverlayRepo.Init(Path.Combine(_root, name), key.ToProtobuf(), key.PeerId.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a late background write; the temp folder is reclaimed later.
        }
    }
}
