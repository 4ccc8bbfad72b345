using Overlay.Manifest.Blocks;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;

namespace Overlay.Manifest.Tests.Streams;

public sealed class TreeHeadTests
{
    private static async Task<SignedTreeHead> HeadAsync() => await StreamVectors.SealedHeadAsync(new MemoryBlockStore());

    private static IpldMap Unsigned(SignedTreeHead head) =>
        new(((IpldMap)DagCbor.Decode(head.Bytes.Span)).Entries.Where(e => e.Key != "sig"));

    private static byte[] SignMap(IpldMap unsigned, Ed25519PrivateKey? key = null)
    {
        var signature = (key ?? StreamVectors.Key).Sign([.. "overlay-tree-head-v1\n"u8, .. DagCbor.Encode(unsigned)]);
        return DagCbor.Encode(new IpldMap(unsigned.Entries.Append(new("sig", signature))));
    }

    private static IpldMap Replace(IpldMap map, string key, IpldNode value) =>
        new(map.Entries.Where(e => e.Key != key).Append(new(key, value)));

    [Fact]
    public async Task A_head_round_trips_with_its_metadata()
    {
        var head = await HeadAsync();
        var decoded = SignedTreeHead.Decode(head.Bytes.Span, StreamVectors.Stream);
        Assert.Equal(head.Head, decoded.Head);
        Assert.Equal(StreamVectors.Metadata, decoded.Head.Metadata);
        Assert.Equal(head.Cid, decoded.Cid);
        Assert.True(decoded.Head.Sealed);
        Assert.Equal(7, decoded.Head.Size);
    }

    [Fact]
    public async Task Forged_or_altered_heads_are_rejected()
    {
        var head = await HeadAsync();
        var map = (IpldMap)DagCbor.Decode(head.Bytes.Span);
        var sig = map["sig"].AsBytes().ToArray();
        sig[0] ^= 0x80;
        Assert.Throws<VerificationException>(() => SignedTreeHead.Decode(DagCbor.Encode(Replace(map, "sig", sig))));
        Assert.Throws<VerificationException>(() => SignedTreeHead.Decode(DagCbor.Encode(Replace(map, "size", 8))));
        Assert.Throws<VerificationException>(() => SignedTreeHead.Decode(DagCbor.Encode(Replace(map, "sealed", false))));
        Assert.Throws<VerificationException>(() => SignedTreeHead.Decode(DagCbor.Encode(Replace(map, "title", "Other title"))));
        Assert.Throws<VerificationException>(() => SignedTreeHead.Decode(DagCbor.Encode(Replace(map, "root", new byte[32]))));
        // Signed with a bundle's domain prefix instead of the head's: not a head signature.
        var unsigned = Unsigned(head);
        var crossDomain = StreamVectors.Key.Sign([.. "overlay-bundle-v1\n"u8, .. DagCbor.Encode(unsigned)]);
        Assert.Throws<VerificationException>(() => SignedTreeHead.Decode(DagCbor.Encode(new IpldMap(unsigned.Entries.Append(new("sig", crossDomain))))));
        Assert.Throws<VerificationException>(() => SignedTreeHead.Decode(SignMap(unsigned, Ed25519PrivateKey.FromSeed(new byte[32]))));
    }

    public static TheoryData<string, IpldNode> SignedButInvalid => new()
    {
        { "v", 0 },
        { "size", 0 },
        { "root", new byte[31] },
        { "leaves", Cid.Compute(Multicodec.Raw, [1]) },
        { "expires", StreamVectors.BaseTime + 100_000 },
        { "expires", StreamVectors.BaseTime + 100_000 + 315_360_000_001 },
        { "title", new string('x', 257) },
        { "title", "tab\there" },
        { "poster", Cid.Compute(Multicodec.DagCbor, [1]) },
        { "sealed", IpldNode.Null },
        { "rends", new IpldList(Enumerable.Repeat<IpldNode>(IpldMap.Of(("id", "a"), ("bw", 1), ("codecs", ""), ("w", 0), ("h", 0)), 2)) },
        { "rends", new IpldList([IpldMap.Of(("id", ""), ("bw", 1), ("codecs", ""), ("w", 0), ("h", 0))]) },
        { "rends", new IpldList([IpldMap.Of(("id", "a"), ("bw", 0), ("codecs", ""), ("w", 0), ("h", 0))]) },
        { "rends", new IpldList([IpldMap.Of(("id", "a"), ("bw", 1), ("codecs", "\"x\""), ("w", 0), ("h", 0))]) },
        { "rends", new IpldList([IpldMap.Of(("id", "a"), ("bw", 1), ("codecs", ""), ("w", 640), ("h", 0))]) },
        { "rends", new IpldList([IpldMap.Of(("id", "a"), ("bw", 1), ("codecs", ""), ("w", 65536), ("h", 1))]) },
        { "rends", new IpldList([IpldMap.Of(("id", "a"), ("bw", 1), ("codecs", ""), ("w", 0), ("h", 0), ("fps", 30))]) },
        { "rends", new IpldList([IpldMap.Of(("id", "a"), ("bw", 1), ("codecs", ""), ("w", 0))]) },
        { "rends", new IpldList(Enumerable.Range(0, 17).Select(i => (IpldNode)IpldMap.Of(("id", $"r{i}"), ("bw", 1), ("codecs", ""), ("w", 0), ("h", 0)))) },
        { "extra", 1 },
    };

    [Theory]
    [MemberData(nameof(SignedButInvalid))]
    public async Task Field_rules_are_enforced_even_when_the_signature_is_valid(string key, IpldNode value)
    {
        var bytes = SignMap(Replace(Unsigned(await HeadAsync()), key, value));
        Assert.ThrowsAny<MalformedDataException>(() => SignedTreeHead.Decode(bytes));
    }

    [Fact]
    public async Task Oversized_non_canonical_expired_future_and_foreign_heads_are_rejected()
    {
        var head = await HeadAsync();
        Assert.Throws<LimitExceededException>(() => SignedTreeHead.Decode(new byte[StreamLimits.MaxHeadBytes + 1]));
        var bytes = head.Bytes.ToArray();
        Assert.Equal(0xac, bytes[0]);
        Assert.Throws<MalformedDataException>(() => SignedTreeHead.Decode([0xbf, .. bytes[1..], 0xff]));
        Assert.Throws<ExpiredException>(() => SignedTreeHead.Decode(bytes, now: head.Head.Expires));
        Assert.Throws<VerificationException>(() => SignedTreeHead.Decode(bytes, now: head.Head.Time - StreamLimits.MaxClockSkew - TimeSpan.FromMilliseconds(1)));
        Assert.Throws<VerificationException>(() => SignedTreeHead.Decode(bytes, Ed25519PrivateKey.FromSeed(new byte[32]).PeerId));
        Assert.True(head.Head.IsExpired(head.Head.Expires));
    }

    [Fact]
    public async Task Inclusion_of_bundles_in_a_head()
    {
        var store = new MemoryBlockStore();
        var builder = await StreamVectors.BuilderAsync(store);
        var head = await builder.SignHeadAsync(StreamVectors.At(StreamVectors.BaseTime + 30_000));
        var bundles = StreamVectors.Bundles();
        for (var seq = 0; seq < 7; seq++)
        {
            head.VerifyInclusion(bundles[seq], builder.ProveInclusion(seq, 7));
        }
        Assert.Throws<VerificationException>(() => head.VerifyInclusion(bundles[3], builder.ProveInclusion(4, 7)));
        var other = Ed25519PrivateKey.FromSeed(Enumerable.Repeat((byte)9, 32).ToArray());
        var foreign = (StreamVectors.Bundle(2) with { Stream = other.PeerId }).Sign(other);
        Assert.Throws<VerificationException>(() => head.VerifyInclusion(foreign, builder.ProveInclusion(2, 7)));
        var past = (StreamVectors.Bundle(6) with { Seq = 7 }).Sign(StreamVectors.Key);
        Assert.Throws<VerificationException>(() => head.VerifyInclusion(past, builder.ProveInclusion(6, 7)));
        // A bundle re-signed with other content at the same seq is not the leaf.
        var rewritten = (StreamVectors.Bundle(5) with { Size = 99 }).Sign(StreamVectors.Key);
        Assert.Throws<VerificationException>(() => head.VerifyInclusion(rewritten, builder.ProveInclusion(5, 7)));
    }

    [Fact]
    public void Signing_checks_the_rules_and_the_key()
    {
        var head = new TreeHead
        {
            Stream = StreamVectors.Stream,
            Size = 1,
            Root = new byte[32],
            Leaves = Cid.Compute(Multicodec.DagCbor, [0x80]),
            Time = StreamVectors.At(StreamVectors.BaseTime),
            Expires = StreamVectors.At(StreamVectors.BaseTime + 1),
        };
        head.Sign(StreamVectors.Key);
        Assert.Throws<ArgumentException>(() => (head with { Size = 0 }).Sign(StreamVectors.Key));
        Assert.Throws<ArgumentException>(() => (head with { Root = new byte[33] }).Sign(StreamVectors.Key));
        Assert.Throws<ArgumentException>(() => (head with { Metadata = new StreamMetadata { Renditions = [new Rendition("a", 1), new Rendition("a", 2)] } }).Sign(StreamVectors.Key));
        Assert.Throws<ArgumentException>(() => head.Sign(Ed25519PrivateKey.FromSeed(new byte[32])));
    }
}
