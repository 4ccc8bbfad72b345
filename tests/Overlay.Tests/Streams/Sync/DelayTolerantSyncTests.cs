using Overlay.Addressing;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;
using Overlay.Node;
using Overlay.Repo;
using Overlay.Streams;
using Overlay.Streams.Sync;
using Overlay.Tests.Bitswap;
using Overlay.Tests.Shared;
using Overlay.Tests.Support;
using Xunit.Abstractions;

namespace Overlay.Tests.Streams.Sync;

/// <summary>A stream crossing A→R→C through user-space links that are cut and come back, with R restarted between (specs/sync.md).</summary>
public sealed class DelayTolerantSyncTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Multiaddr[] Loopback = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);
    private readonly StreamServiceTests _nodes = new();

    internal static OverlayNodeOptions Options(TimeProvider clock) => new()
    {
        ListenAddresses = Loopback,
        Streams = StreamServiceTests.Quick with { Clock = clock },
        Sync = new SyncOptions { Interval = TimeSpan.FromSeconds(2) },
        ReapInterval = TimeSpan.FromHours(1),
    };

    [Fact(Timeout = 60_000)]
    public async Task A_stream_crosses_a_relay_that_restarts_and_a_bundle_that_expires_in_transit_is_neither_delivered_nor_kept()
    {
        var t0 = DateTimeOffset.UtcNow;
        var aClock = new ManualClock(t0);
        var rClock = new ManualClock(t0);
        var cClock = new ManualClock(t0);
        var key = Ed25519PrivateKey.Generate();
        // Bundle 2 is live with ten minutes to live; the rest are vod for 30 days.
        var classes = Enumerable.Repeat((PriorityClass.Vod, PriorityClass.Vod.DefaultLifetime()), 6).ToArray();
        classes[2] = (PriorityClass.Live, TimeSpan.FromMinutes(10));
        using var timeout = new CancellationTokenSource(Timeout);

        await using var a = await OverlayNode.StartAsync(_nodes.NewRepo("a"), Options(aClock));
        var stream = await TestStream.BuildAsync(key, a.LocalBlocks, classes.Length, seed: 40, time: t0, classes: classes, segmentBytes: 200_000);
        await a.Streams.PublishAsync(stream.Head, timeout.Token);

        // A and R meet through a link that is then cut.
        var rRepo = _nodes.NewRepo("r");
        await using (var linkAR = new LinkRelay(a.Host.ListenAddresses[0].ToTcpEndPoint()!.Port))
        {
            await using var r = await OverlayNode.StartAsync(rRepo, Options(rClock));
            await r.Host.ConnectAsync(Relayed(linkAR, a)).WaitAsync(timeout.Token);
            var atR = await WaitAsync(r, key.PeerId, s => s.Held == 6, timeout.Token);
            Assert.True(atR.Carried);
            Assert.True(r.Sync.Metrics.BundlesTaken >= 6);
            linkAR.Cut();
        }

        // R restarted over the same repo has lost nothing: the carried stream is resumed and re-verified.
        // It now pushes at most 300 kB a session, and syncs only when a connection opens.
        rClock.Now = t0 + TimeSpan.FromMinutes(1);
        var rOptions = Options(rClock) with { Sync = new SyncOptions { Interval = TimeSpan.FromMinutes(10), MaxSessionBytes = 300_000 } };
        await using var r2 = await OverlayNode.StartAsync(OverlayRepo.Open(rRepo.RootPath), rOptions);
        var resumed = await WaitAsync(r2, key.PeerId, s => s.Held == 6, timeout.Token);
        Assert.True(resumed.Carried);
        Assert.Equal(stream.Head.Cid.ToString(), resumed.Head);

        // C meets R only, twenty minutes later by its clock (bundle 2 has expired in transit), over a
        // slow link that is cut after every session and comes back: each contact adds what fits.
        cClock.Now = t0 + TimeSpan.FromMinutes(20);
        var cRepo = _nodes.NewRepo("c");
        await using var c = await OverlayNode.StartAsync(cRepo, Options(cClock) with { Sync = new SyncOptions { Interval = TimeSpan.FromMinutes(10) } });
        await using var linkRC = new LinkRelay(r2.Host.ListenAddresses[0].ToTcpEndPoint()!.Port) { Delay = TimeSpan.FromMilliseconds(5) };
        var contacts = 0;
        while (c.Streams.GetStatus(key.PeerId) is not { Held: 5, Expired: 1 })
        {
            Assert.True(++contacts <= 8, $"C still lacks bundles after {contacts - 1} contacts");
            var ended = c.Sync.Metrics.SessionsEnded;
            await c.Host.ConnectAsync(Relayed(linkRC, r2)).WaitAsync(timeout.Token);
            await Eventually.TrueAsync(() => c.Sync.Metrics.SessionsEnded > ended, "C's session with R ends", Timeout);
            linkRC.Cut();
            await Eventually.TrueAsync(() => !c.Host.IsConnected(r2.PeerId) && !r2.Host.IsConnected(c.PeerId), "the cut link drops the connection", Timeout);
            linkRC.Restore();
        }
        Assert.True(contacts >= 3, $"{contacts} contacts: each session should carry only part of the stream");
        output.WriteLine($"C holds every unexpired bundle after {contacts} contacts; R pushed {r2.Sync.Metrics.BundlesPushed} bundles, {linkRC.BytesForwarded} bytes crossed the R–C link");
        var atC = c.Streams.GetStatus(key.PeerId)!;
        Assert.True(atC.Complete);
        Assert.Equal(1, c.Sync.Metrics.RefusedFor(SyncRejection.Expired));
        Assert.DoesNotContain(c.Host.Connections, connection => connection.RemotePeer == a.PeerId);
        Assert.False(await c.Repo.Blocks.HasAsync(stream.Payloads[2]));
        var reader = new UnixFsReader(c.Repo.Blocks);
        for (var i = 0; i < stream.Payloads.Count; i++)
        {
            if (i == 2)
            {
                continue;
            }
            Assert.Equal(stream.Segments[i], await ReadAllAsync(reader, stream.Payloads[i]));
        }

        // R's clock catches up: the reaper drops bundle 2 and its blocks, and sync never offers it again.
        rClock.Now = t0 + TimeSpan.FromMinutes(20);
        Assert.Equal(1, await r2.Reaper.ReapAsync(timeout.Token));
        Assert.Equal(1, r2.Reaper.Metrics.BundlesReaped);
        Assert.False(await r2.Repo.Blocks.HasAsync(stream.Payloads[2]));
        Assert.False(await r2.Repo.Blocks.HasAsync(stream.Bundles[2].Cid));
        Assert.True(await r2.Repo.Blocks.HasAsync(stream.Payloads[3]));
        var atR2 = r2.Streams.GetStatus(key.PeerId)!;
        Assert.Equal((5, 1), (atR2.Held, atR2.Expired));
        // A later contact D gets the five from R (300 kB a session), and R no longer pushes the reaped one at all.
        await using var d = await OverlayNode.StartAsync(_nodes.NewRepo("d"), Options(cClock) with { Sync = new SyncOptions { Interval = TimeSpan.FromMinutes(10) } });
        var pushed = r2.Sync.Metrics.BundlesPushed;
        await d.Host.ConnectAsync(r2.Addresses[0]).WaitAsync(timeout.Token);
        while (d.Streams.GetStatus(key.PeerId) is not { Held: 5 })
        {
            // Returns at once while the session the connection opened is still running.
            await d.Sync.SyncAllAsync(timeout.Token);
            await Task.Delay(50, timeout.Token);
        }
        var atD = d.Streams.GetStatus(key.PeerId)!;
        Assert.Equal(0, atD.Expired);
        Assert.Equal(0, d.Sync.Metrics.RefusedFor(SyncRejection.Expired));
        Assert.Equal(5, r2.Sync.Metrics.BundlesPushed - pushed);
    }

    private static Multiaddr Relayed(LinkRelay link, OverlayNode target) =>
        Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{link.Port}/p2p/{target.PeerId}");

    internal static async Task<StreamStatus> WaitAsync(OverlayNode node, PeerId stream, Func<StreamStatus, bool> done, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (node.Streams.GetStatus(stream) is { } status && done(status))
            {
                return status;
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<byte[]> ReadAllAsync(UnixFsReader reader, Manifest.Multiformats.Cid cid)
    {
        using var read = new MemoryStream();
        await foreach (var chunk in reader.ReadAsync(cid))
        {
            read.Write(chunk.Span);
        }
        return read.ToArray();
    }

    public void Dispose() => _nodes.Dispose();
}
