using Overlay.Gateway.Play;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;

namespace Overlay.Cli.Tests.Gateway;

/// <summary>The gateway hands out a bundle only when it is the signed head's leaf, signed by the stream key, in a listed rendition.</summary>
public sealed class PlaybackStreamTests
{
    private readonly MemoryBlockStore _blocks = new();
    private readonly FaultyBlockStore _reads;

    public PlaybackStreamTests() => _reads = new FaultyBlockStore(_blocks);

    private async Task<SignedTreeHead> PublishAsync(int mediaCount, StreamMetadata? metadata = null, string rendition = "", bool seal = true)
    {
        var builder = new StreamManifestBuilder(TestBundles.Key, _blocks) { Metadata = metadata ?? StreamMetadata.Empty };
        await builder.AppendAsync(TestBundles.Init(0, rendition).Sign(TestBundles.Key));
        for (var i = 1; i <= mediaCount; i++)
        {
            await builder.AppendAsync(TestBundles.Media(i, i - 1, "video/mp4", rendition, init: 0).Sign(TestBundles.Key));
        }
        return await builder.SignHeadAsync(DateTimeOffset.UtcNow, seal: seal);
    }

    [Fact]
    public async Task Bundles_of_the_verified_head_come_back_in_order_and_the_tail_is_the_live_window()
    {
        var head = await PublishAsync(9, seal: false);
        var stream = new PlaybackStream(TestBundles.Key.PeerId, _reads, _blocks);
        Assert.Equal(head.Cid, (await stream.HeadAsync(head.Cid.ToString(), default))!.Cid);
        var all = await stream.RangeAsync(head, 0, head.Head.Size, default);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), all.Select(b => b.Bundle.Seq));
        var tail = await stream.TailAsync(head, "", 6, default);
        Assert.Equal([4L, 5, 6, 7, 8, 9], tail.Select(b => b.Bundle.Seq));
    }

    [Fact]
    public async Task A_head_block_not_here_yet_is_no_head_and_one_of_another_key_is_refused()
    {
        var stream = new PlaybackStream(TestBundles.Key.PeerId, _reads, _blocks);
        var elsewhere = new StreamManifestBuilder(TestBundles.Key, new MemoryBlockStore());
        await elsewhere.AppendAsync(TestBundles.Init(0).Sign(TestBundles.Key));
        Assert.Null(await stream.HeadAsync((await elsewhere.SignHeadAsync(DateTimeOffset.UtcNow)).Cid.ToString(), default));

        var otherKey = Ed25519PrivateKey.Generate();
        var other = new StreamManifestBuilder(otherKey, _blocks);
        await other.AppendAsync((TestBundles.Init(0) with { Stream = otherKey.PeerId }).Sign(otherKey));
        var foreign = await other.SignHeadAsync(DateTimeOffset.UtcNow);
        await Assert.ThrowsAsync<VerificationException>(() => stream.HeadAsync(foreign.Cid.ToString(), default));
    }

    [Fact]
    public async Task Substituted_bundle_bytes_and_an_unlisted_rendition_are_refused()
    {
        var head = await PublishAsync(3);
        var leaf = (await new StreamManifestReader(_blocks, head).GetLeavesAsync(2, 3))[0];
        var other = (await new StreamManifestReader(_blocks, head).GetLeavesAsync(3, 4))[0];
        var substitute = await _blocks.GetAsync(other);
        _reads.Read = (cid, bytes) => cid == leaf ? substitute : bytes;
        var stream = new PlaybackStream(TestBundles.Key.PeerId, _reads, _blocks);
        await Assert.ThrowsAsync<VerificationException>(() => stream.BundleAsync(head, 2, default));
        Assert.Equal(3, (await stream.BundleAsync(head, 3, default)).Bundle.Seq);

        // The head lists 720p; its bundles say 480p.
        var fresh = new PlaybackStreamTests();
        var mixed = await fresh.PublishAsync(2, new StreamMetadata { Renditions = [new Rendition("720p", 1_000_000)] }, rendition: "480p");
        var freshStream = new PlaybackStream(TestBundles.Key.PeerId, fresh._blocks, fresh._blocks);
        var refused = await Assert.ThrowsAsync<VerificationException>(() => freshStream.BundleAsync(mixed, 1, default));
        Assert.Contains("480p", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_bundle_block_is_block_not_found()
    {
        var head = await PublishAsync(2);
        var leaf = (await new StreamManifestReader(_blocks, head).GetLeavesAsync(1, 2))[0];
        _reads.Read = (cid, bytes) => cid == leaf ? null : bytes;
        var stream = new PlaybackStream(TestBundles.Key.PeerId, _reads, _blocks);
        await Assert.ThrowsAsync<BlockNotFoundException>(() => stream.BundleAsync(head, 1, default));
    }
}
