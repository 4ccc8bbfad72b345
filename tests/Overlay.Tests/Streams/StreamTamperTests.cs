using Overlay.Addressing;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;
using Overlay.Node;
using Overlay.Repo;
using Overlay.Streams;
using Overlay.Streams.Sync;
using Overlay.Tests.Bitswap;

namespace Overlay.Tests.Streams;

/// <summary>What a follower refuses: heads that are forged, foreign, replayed or forked, and payloads that are not what the bundle signs.</summary>
public sealed class StreamTamperTests : IDisposable
{
    private static readonly Multiaddr[] Loopback = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "overlay-stream-tamper", Guid.NewGuid().ToString("N"));

    [Fact(Timeout = StreamServiceTests.TestTimeoutMilliseconds)]
    public async Task Forged_foreign_replayed_forked_and_expired_heads_are_refused_with_their_reason_and_never_followed()
    {
        await using var a = await StartAsync("a");
        await using var b = await StartAsync("b");
        await using var attacker = await StartAsync("x");
        var key = Ed25519PrivateKey.Generate();
        var time = DateTimeOffset.UtcNow.AddMinutes(-1);
        var stream = await TestStream.BuildAsync(key, a.LocalBlocks, count: 4, seed: 20, time: time);
        await a.Streams.PublishAsync(stream.Head);
        await b.Host.ConnectAsync(a.Addresses[0]).WaitAsync(StreamServiceTests.Timeout);
        b.Streams.Follow(key.PeerId);
        using var timeout = new CancellationTokenSource(StreamServiceTests.Timeout);
        await b.Streams.WaitCompleteAsync(key.PeerId, cancellationToken: timeout.Token);

        var scratch = new MemoryBlockStore();
        var forgedBytes = stream.Head.Bytes.ToArray();
        var at = forgedBytes.AsSpan().IndexOf(stream.Head.Signature.Span);
        forgedBytes[at + 10] ^= 0x01;
        var foreign = (await TestStream.BuildAsync(Ed25519PrivateKey.Generate(), scratch, count: 4, seed: 20, time: time)).Head;
        var replayed = (await TestStream.BuildAsync(key, scratch, count: 2, seed: 20, seal: false, time: time.AddSeconds(-30))).Head;
        var forked = (await TestStream.BuildAsync(key, scratch, count: 4, seed: 99, time: time.AddSeconds(30))).Head;
        // Sealed heads live 30 days: this one, signed 40 days ago, is over.
        var expired = (await TestStream.BuildAsync(key, scratch, count: 4, seed: 20, time: time.AddDays(-40))).Head;

        var topic = StreamTopic.Of(key.PeerId);
        await attacker.Host.ConnectAsync(b.Addresses[0]).WaitAsync(StreamServiceTests.Timeout);
        await Eventually.TrueAsync(() => attacker.PubSub.GetPeers(topic).Contains(b.PeerId), "the attacker sees B on the topic", StreamServiceTests.Timeout);
        var metrics = b.Streams.Metrics;
        (ReadOnlyMemory<byte> Bytes, string Reason)[] offers =
        [
            // Ignored ones first: after a few rejected messages gossipsub's score stops B from
            // listening to the attacker at all, which is the point, but would end this test.
            (expired.Bytes, HeadRejection.Expired),
            (replayed.Bytes, HeadRejection.Replay),
            (forgedBytes, HeadRejection.BadSignature),
            (foreign.Bytes, HeadRejection.ForeignKey),
            (forked.Bytes, HeadRejection.Fork),
        ];
        foreach (var (bytes, reason) in offers)
        {
            attacker.PubSub.Publish(topic, StreamMessageCodec.Encode(new StreamMessage { Kind = StreamMessageKind.Head, Head = bytes }));
            await Eventually.TrueAsync(() => metrics.HeadsRejectedFor(reason) >= 1, $"B counts a head refused for {reason}", StreamServiceTests.Timeout);
        }
        Assert.True(b.PubSub.GetScore(attacker.PeerId) < 0, "B's pubsub score of the attacker went negative");
        var status = b.Streams.GetStatus(key.PeerId)!;
        Assert.Equal(stream.Head.Cid.ToString(), status.Head);
        Assert.True(status.Complete);
        Assert.Equal(1, metrics.HeadsAccepted);
        Assert.Null(await b.Repo.Pins.IsPinnedAsync(forked.Cid));
        // The refused heads were not passed on to A either.
        Assert.Equal(0, a.Streams.Metrics.HeadsRejected.Values.Sum());
    }

    [Fact(Timeout = StreamServiceTests.TestTimeoutMilliseconds)]
    public async Task A_payload_whose_bytes_do_not_match_its_CID_is_counted_and_never_held()
    {
        await using var a = await StartAsync("a");
        await using var b = await StartAsync("b");
        var key = Ed25519PrivateKey.Generate();
        var stream = await TestStream.BuildAsync(key, a.LocalBlocks, count: 4, seed: 30);
        await a.Streams.PublishAsync(stream.Head);
        await b.Host.ConnectAsync(a.Addresses[0]).WaitAsync(StreamServiceTests.Timeout);

        // Bitswap itself refuses a block with the wrong hash, so the substitution happens in the
        // store the follower reads from: the follower's own check must catch it.
        var tampering = new SubstitutingBlockStore(b.CreateNetworkBlocks(TimeSpan.FromSeconds(5)), stream.Payloads[2]);
        await using var follower = new StreamService(b.PubSub, b.LocalBlocks, () => tampering, b.Repo.Pins,
            Path.Combine(_root, "b-streams"), StreamServiceTests.Quick);
        follower.Follow(key.PeerId);
        await Eventually.TrueAsync(() => follower.Metrics.BundlesRejectedFor("payload") >= 1 && follower.GetStatus(key.PeerId)!.Held == 3,
            "the other three bundles are held and the tampered one refused", StreamServiceTests.Timeout);
        var status = follower.GetStatus(key.PeerId)!;
        Assert.False(status.Complete);
        Assert.Equal(stream.Segments.Where((_, i) => i != 2).Sum(s => (long)s.Length), status.Bytes);
        Assert.Null(await b.Repo.Pins.IsPinnedAsync(stream.Head.Cid));
        Assert.Equal(3, follower.Metrics.BundlesVerified);
    }

    private Task<OverlayNode> StartAsync(string name)
    {
        var key = Ed25519PrivateKey.Generate();
        var repo = OverlayRepo.Init(Path.Combine(_root, name), key.ToProtobuf(), key.PeerId.ToString());
        // Not carrying streams by sync: the payload test follows in a second stream service of B's, which must be the only one on the topic.
        return OverlayNode.StartAsync(repo, new OverlayNodeOptions { ListenAddresses = Loopback, Streams = StreamServiceTests.Quick, Sync = StreamServiceTests.FollowOnly });
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

    /// <summary>Answers one CID with its bytes altered (a lying peer or a corrupted disk), everything else as is.</summary>
    private sealed class SubstitutingBlockStore(IBlockStore inner, Cid target) : IBlockStore
    {
        public ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => inner.PutAsync(cid, data, cancellationToken);

        public async ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default)
        {
            var block = await inner.GetAsync(cid, cancellationToken);
            if (cid != target || block is not { } bytes)
            {
                return block;
            }
            var altered = bytes.ToArray();
            altered[^1] ^= 0xff;
            return altered;
        }

        public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => inner.HasAsync(cid, cancellationToken);

        public ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default) => inner.GetSizeAsync(cid, cancellationToken);

        public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default) => inner.DeleteAsync(cid, cancellationToken);

        public IAsyncEnumerable<Cid> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }
}
