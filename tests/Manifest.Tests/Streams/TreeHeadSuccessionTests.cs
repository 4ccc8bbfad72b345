using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;

namespace Overlay.Manifest.Tests.Streams;

public sealed class TreeHeadSuccessionTests
{
    private static DateTimeOffset T(long offsetMs) => StreamVectors.At(StreamVectors.BaseTime + offsetMs);

    /// <summary>A publisher that signed heads at sizes 3 (t=1s) and 7 (t=2s).</summary>
    private static async Task<(StreamManifestBuilder Builder, SignedTreeHead Head3, SignedTreeHead Head7)> PublishAsync()
    {
        var store = new MemoryBlockStore();
        var builder = new StreamManifestBuilder(StreamVectors.Key, store);
        var bundles = StreamVectors.Bundles();
        foreach (var b in bundles[..3])
        {
            await builder.AppendAsync(b);
        }
        var head3 = await builder.SignHeadAsync(T(1000));
        foreach (var b in bundles[3..])
        {
            await builder.AppendAsync(b);
        }
        return (builder, head3, await builder.SignHeadAsync(T(2000)));
    }

    [Fact]
    public async Task A_consistent_larger_head_extends()
    {
        var (builder, head3, head7) = await PublishAsync();
        Assert.Equal(HeadUpdate.Extended, TreeHeadSuccession.Check(head3, head7, builder.ProveConsistency(3, 7)));
    }

    [Fact]
    public async Task Duplicates_older_sizes_and_older_times_are_ignored_with_their_reason()
    {
        var (builder, head3, head7) = await PublishAsync();
        Assert.Equal(HeadUpdate.Duplicate, TreeHeadSuccession.Check(head7, head7, []));
        Assert.Equal(HeadUpdate.OlderSize, TreeHeadSuccession.Check(head7, head3, []));
        // Same tree re-signed: newer time refreshes, the replayed older one is ignored.
        var refreshed = await builder.SignHeadAsync(T(3000));
        Assert.Equal(HeadUpdate.Refreshed, TreeHeadSuccession.Check(head7, refreshed, []));
        Assert.Equal(HeadUpdate.OlderTime, TreeHeadSuccession.Check(refreshed, head7, []));
        // A larger, consistent head signed at an older time than the held one is a replay too.
        var lateBig = (head7.Head with { Time = T(500) }).Sign(StreamVectors.Key);
        var head3Late = (head3.Head with { Time = T(900) }).Sign(StreamVectors.Key);
        Assert.Equal(HeadUpdate.OlderTime, TreeHeadSuccession.Check(head3Late, lateBig, builder.ProveConsistency(3, 7)));
    }

    [Fact]
    public async Task Same_size_with_another_root_is_a_fork()
    {
        var (_, _, head7) = await PublishAsync();
        var (forkBuilder, forked) = await ForkAsync(7);
        var e = Assert.Throws<ForkDetectedException>(() => TreeHeadSuccession.Check(head7, forked, []));
        Assert.Same(head7, e.Held);
        Assert.Same(forked, e.Conflicting);
        Assert.IsAssignableFrom<VerificationException>(e);
        Assert.Equal(7, forkBuilder.Size);
    }

    [Fact]
    public async Task A_larger_head_that_rewrote_history_is_a_fork_even_with_its_own_honest_proof()
    {
        var (_, head3, _) = await PublishAsync();
        var (forkBuilder, forked) = await ForkAsync(7);
        // The forked publisher's own page tree gives a correct proof for its own tree; it cannot
        // connect to the held head of size 3 because leaf 2 differs.
        var proof = await new StreamManifestReader(forkBuilder.Store, forked).ProveConsistencyAsync(3);
        Assert.Throws<ForkDetectedException>(() => TreeHeadSuccession.Check(head3, forked, proof));
        Assert.Throws<ForkDetectedException>(() => TreeHeadSuccession.Check(head3, forked, forkBuilder.ProveConsistency(3, 7)));
    }

    [Fact]
    public async Task A_tampered_or_missing_consistency_proof_fails_as_a_fork()
    {
        var (builder, head3, head7) = await PublishAsync();
        var proof = builder.ProveConsistency(3, 7).Select(p => p.ToArray()).ToArray();
        proof[1][5] ^= 1;
        Assert.Throws<ForkDetectedException>(() => TreeHeadSuccession.Check(head3, head7, proof));
        Assert.Throws<ForkDetectedException>(() => TreeHeadSuccession.Check(head3, head7, []));
    }

    [Fact]
    public async Task A_sealed_stream_cannot_be_extended_or_reopened()
    {
        var store = new MemoryBlockStore();
        var builder = new StreamManifestBuilder(StreamVectors.Key, store);
        var bundles = StreamVectors.Bundles();
        foreach (var b in bundles[..6])
        {
            await builder.AppendAsync(b);
        }
        var sealedHead = await builder.SignHeadAsync(T(1000), seal: true);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await builder.AppendAsync(bundles[6]));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await builder.SignHeadAsync(T(2000)));
        Assert.Equal(HeadUpdate.Refreshed, TreeHeadSuccession.Check(sealedHead, await builder.SignHeadAsync(T(3000), seal: true), []));

        // The key holder signs an extension anyway (a second publisher instance, or an attack).
        var rogue = new StreamManifestBuilder(StreamVectors.Key, new MemoryBlockStore());
        foreach (var b in bundles)
        {
            await rogue.AppendAsync(b);
        }
        var extended = await rogue.SignHeadAsync(T(4000));
        Assert.Throws<SealedStreamException>(() => TreeHeadSuccession.Check(sealedHead, extended, rogue.ProveConsistency(6, 7)));
        var reopened = (sealedHead.Head with { Sealed = false, Time = T(5000) }).Sign(StreamVectors.Key);
        Assert.Throws<SealedStreamException>(() => TreeHeadSuccession.Check(sealedHead, reopened, []));
        // An unsealed head from before the seal is just old.
        var before = (sealedHead.Head with { Sealed = false, Time = T(500) }).Sign(StreamVectors.Key);
        Assert.Equal(HeadUpdate.OlderTime, TreeHeadSuccession.Check(sealedHead, before, []));
    }

    [Fact]
    public async Task Heads_of_another_stream_are_rejected()
    {
        var (_, head3, _) = await PublishAsync();
        var other = Ed25519PrivateKey.FromSeed(Enumerable.Repeat((byte)3, 32).ToArray());
        var foreign = (head3.Head with { Stream = other.PeerId }).Sign(other);
        Assert.Throws<VerificationException>(() => TreeHeadSuccession.Check(head3, foreign, []));
    }

    /// <summary>The same key publishing a history whose leaf 2 differs from the vector stream's.</summary>
    private static async Task<(ForkedPublisher Builder, SignedTreeHead Head)> ForkAsync(int size)
    {
        var fork = new ForkedPublisher();
        for (var seq = 0; seq < size; seq++)
        {
            var bundle = StreamVectors.Bundle(seq);
            await fork.AppendAsync((seq == 2 ? bundle with { Size = bundle.Size + 1 } : bundle).Sign(StreamVectors.Key));
        }
        return (fork, await fork.SignHeadAsync(T(2500)));
    }

    private sealed class ForkedPublisher
    {
        private readonly StreamManifestBuilder _builder;

        public ForkedPublisher() => _builder = new StreamManifestBuilder(StreamVectors.Key, Store);

        public MemoryBlockStore Store { get; } = new();

        public long Size => _builder.Size;

        public ValueTask AppendAsync(SignedBundle bundle) => _builder.AppendAsync(bundle);

        public ValueTask<SignedTreeHead> SignHeadAsync(DateTimeOffset time) => _builder.SignHeadAsync(time);

        public IReadOnlyList<byte[]> ProveConsistency(long first, long second) => _builder.ProveConsistency(first, second);
    }
}
