using System.Runtime.CompilerServices;
using Overlay.Blocks;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;
using Overlay.Streams;
using Overlay.Tests.Shared;

namespace Overlay.Tests.Streams;

/// <summary>Live publishing (specs/stream-protocol.md §9) from an in-memory source, followed by a second node.</summary>
public sealed class LivePublicationTests : IDisposable
{
    private readonly StreamServiceTests _nodes = new();

    [Fact(Timeout = StreamServiceTests.TestTimeoutMilliseconds)]
    public async Task Each_bundle_gets_a_pinned_growing_head_a_stopped_stream_continues_and_the_end_seals_it()
    {
        await using var a = await _nodes.StartAsync("a");
        await using var b = await _nodes.StartAsync("b");
        await b.Host.ConnectAsync(a.Addresses[0]).WaitAsync(StreamServiceTests.Timeout);
        var key = Ed25519PrivateKey.Generate();
        b.Streams.Follow(key.PeerId);
        var metadata = new StreamMetadata { Title = "cam" };

        // First run: three bundles, then the node "stops" it without sealing.
        var gate = new SemaphoreSlim(0);
        var first = await a.Streams.PublishLiveAsync(key, seq => Bundles(key, a.LocalBlocks, seq, 3, gate), () => metadata);
        Assert.Equal(0, first.FirstSeq);
        gate.Release(3);
        await WaitAsync(() => first.Bundles == 3);
        Assert.True(a.Streams.GetStatus(key.PeerId)!.Publishing);
        await Assert.ThrowsAsync<InvalidOperationException>(() => a.Streams.PublishLiveAsync(key, seq => Bundles(key, a.LocalBlocks, seq, 1, gate), () => metadata));
        var growing = await first.StopAsync(seal: false);
        Assert.NotNull(growing);
        Assert.False(growing.Head.Sealed);
        Assert.Equal(3, growing.Head.Size);
        Assert.Equal([0L, 1L, 2L], first.AnnouncedAt().Keys.Order());
        await WaitAsync(() => b.Streams.GetStatus(key.PeerId) is { Complete: true, Live: true, Total: 3 });
        Assert.False(a.Streams.GetStatus(key.PeerId)!.Publishing);

        // Second run continues at seq 3 and seals when its source ends.
        var second = await a.Streams.PublishLiveAsync(key, seq => Bundles(key, a.LocalBlocks, seq, 2, null), () => metadata);
        Assert.Equal(3, second.FirstSeq);
        var sealedHead = await second.Completion.WaitAsync(StreamServiceTests.Timeout);
        Assert.NotNull(sealedHead);
        Assert.True(sealedHead.Head.Sealed);
        Assert.Equal(5, sealedHead.Head.Size);
        Assert.Equal("cam", sealedHead.Head.Metadata.Title);
        await WaitAsync(() => b.Streams.GetStatus(key.PeerId) is { Complete: true, Sealed: true } s && s.Head == sealedHead.Cid.ToString());
        Assert.False(b.Streams.GetStatus(key.PeerId)!.Live);
        Assert.Equal(5, b.Streams.HeldTimestamps(key.PeerId).Count);
        // A late copy of an older head (gossip under load can reorder) is ignored, not a failure; anything else is.
        Assert.DoesNotContain(b.Streams.Metrics.HeadsRejected, r => r.Key != HeadRejection.Replay && r.Value > 0);

        // Only the newest head is pinned on the publisher: each new one replaced the last.
        var pins = await a.Repo.Pins.ListAsync(PinType.Recursive);
        Assert.Equal([sealedHead.Cid], pins.Select(p => p.Cid));
        await Assert.ThrowsAsync<InvalidOperationException>(() => a.Streams.PublishLiveAsync(key, seq => Bundles(key, a.LocalBlocks, seq, 1, null), () => metadata));
    }

    /// <summary><paramref name="count"/> live bundles from <paramref name="first"/>, each after a release of <paramref name="gate"/> when given.</summary>
    private static async IAsyncEnumerable<SignedBundle> Bundles(
        Ed25519PrivateKey key, IBlockStore store, long first, int count, SemaphoreSlim? gate, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var importer = new UnixFsImporter(store);
        for (var seq = first; seq < first + count; seq++)
        {
            if (gate is not null)
            {
                await gate.WaitAsync(cancellationToken);
            }
            var bytes = DeterministicBytes.Generate((ulong)seq, 50_000);
            var payload = (await importer.ImportFileAsync(new MemoryStream(bytes), cancellationToken)).Cid;
            yield return MediaBundles.Sign(key, seq, payload, bytes.Length, PriorityClass.Live, DateTimeOffset.UtcNow);
        }
        if (gate is not null)
        {
            // A live source does not end by itself: it waits for more until stopped.
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + StreamServiceTests.Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }

    public void Dispose() => _nodes.Dispose();
}
