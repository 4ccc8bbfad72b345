using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;

namespace Overlay.Manifest.Tests.Streams;

public sealed class BundleTests
{
    private static readonly DateTimeOffset Now = StreamVectors.At(StreamVectors.BaseTime + 60_000);

    private static SignedBundle Signed(int seq = 4) => StreamVectors.Bundle(seq).Sign(StreamVectors.Key);

    private static IpldMap MapOf(SignedBundle bundle) => (IpldMap)DagCbor.Decode(bundle.Bytes.Span);

    private static byte[] With(IpldMap map, string key, IpldNode value) =>
        DagCbor.Encode(new IpldMap(map.Entries.Where(e => e.Key != key).Append(new(key, value))));

    private static byte[] Without(IpldMap map, string key) => DagCbor.Encode(new IpldMap(map.Entries.Where(e => e.Key != key)));

    /// <summary>Signs an arbitrary unsigned map the way a publisher would, so only the rule under test can fail.</summary>
    private static byte[] SignMap(IpldMap unsigned)
    {
        var signature = StreamVectors.Key.Sign([.. "overlay-bundle-v1\n"u8, .. DagCbor.Encode(unsigned)]);
        return DagCbor.Encode(new IpldMap(unsigned.Entries.Append(new("sig", signature))));
    }

    private static IpldMap Unsigned(SignedBundle bundle) => new(MapOf(bundle).Entries.Where(e => e.Key != "sig"));

    [Fact]
    public void Every_vector_bundle_round_trips()
    {
        foreach (var signed in StreamVectors.Bundles())
        {
            var decoded = SignedBundle.Decode(signed.Bytes.Span, StreamVectors.Stream, Now);
            Assert.Equal(signed.Bundle, decoded.Bundle);
            Assert.Equal(signed.Cid, decoded.Cid);
            Assert.Equal(signed.LeafHash, decoded.LeafHash);
        }
    }

    [Fact]
    public void The_signature_covers_the_domain_prefix_and_the_unsigned_map()
    {
        var signed = Signed();
        var message = "overlay-bundle-v1\n"u8.ToArray().Concat(DagCbor.Encode(Unsigned(signed))).ToArray();
        Assert.True(StreamVectors.Key.PublicKey.Verify(message, signed.Signature.Span));
        Assert.False(StreamVectors.Key.PublicKey.Verify(DagCbor.Encode(Unsigned(signed)), signed.Signature.Span));
    }

    [Fact]
    public void A_forged_signature_is_rejected()
    {
        var map = MapOf(Signed());
        var sig = map["sig"].AsBytes().ToArray();
        sig[10] ^= 0x01;
        Assert.Throws<VerificationException>(() => SignedBundle.Decode(With(map, "sig", sig)));
    }

    [Fact]
    public void A_bundle_signed_by_another_key_is_rejected()
    {
        var other = Ed25519PrivateKey.FromSeed(new byte[32]);
        var unsigned = Unsigned(Signed());
        var forged = DagCbor.Encode(new IpldMap(unsigned.Entries.Append(new("sig", other.Sign([.. "overlay-bundle-v1\n"u8, .. DagCbor.Encode(unsigned)])))));
        Assert.Throws<VerificationException>(() => SignedBundle.Decode(forged));
    }

    [Theory]
    [InlineData("seq", 5)]
    [InlineData("size", 30)]
    [InlineData("dur", 4_000_001)]
    [InlineData("msn", 9)]
    [InlineData("disc", false)]
    [InlineData("rend", "1080p")]
    [InlineData("expires", StreamVectors.BaseTime + 16_000 + 60_000)]
    public void An_altered_field_breaks_the_signature(string key, object value)
    {
        IpldNode node = value switch { int i => i, long l => l, bool b => b, string s => s, _ => throw new ArgumentException(null, nameof(value)) };
        var altered = With(MapOf(Signed()), key, node);
        Assert.Throws<VerificationException>(() => SignedBundle.Decode(altered));
    }

    [Fact]
    public void A_swapped_payload_breaks_the_signature()
    {
        var altered = With(MapOf(Signed()), "payload", Cid.Compute(Multicodec.Raw, "something else"u8));
        Assert.Throws<VerificationException>(() => SignedBundle.Decode(altered));
    }

    [Fact]
    public void Non_canonical_encodings_are_rejected_before_the_signature()
    {
        var bytes = Signed().Bytes.ToArray();
        // b1 (map of 17) 61 76 ("v") 01: write the version as 18 01, a non-minimal integer.
        Assert.Equal([0xb1, 0x61, 0x76, 0x01], bytes[..4]);
        byte[] longInt = [0xb1, 0x61, 0x76, 0x18, 0x01, .. bytes[4..]];
        Assert.Throws<MalformedDataException>(() => SignedBundle.Decode(longInt));
        // Indefinite-length map with the same entries.
        byte[] indefinite = [0xbf, .. bytes[1..], 0xff];
        Assert.Throws<MalformedDataException>(() => SignedBundle.Decode(indefinite));
        // Trailing garbage after the map.
        Assert.Throws<MalformedDataException>(() => SignedBundle.Decode([.. bytes, 0x00]));
    }

    [Fact]
    public void Unknown_and_missing_keys_are_rejected_even_when_signed()
    {
        var unsigned = Unsigned(Signed());
        var extra = SignMap(new IpldMap(unsigned.Entries.Append(new("note", "hi"))));
        Assert.Contains("unknown key", Assert.Throws<MalformedDataException>(() => SignedBundle.Decode(extra)).Message);
        var missing = SignMap(new IpldMap(unsigned.Entries.Where(e => e.Key != "disc")));
        Assert.Contains("missing key", Assert.Throws<MalformedDataException>(() => SignedBundle.Decode(missing)).Message);
        Assert.Throws<MalformedDataException>(() => SignedBundle.Decode(Without(MapOf(Signed()), "sig")));
    }

    public static TheoryData<string, IpldNode> SignedButInvalid => new()
    {
        { "v", 2 },
        { "seq", new IpldInteger(1L << 53) },
        { "seq", "4" },
        { "class", "urgent" },
        { "kind", "audio" },
        { "type", "Video/MP4" },
        { "type", "video/mp4\n" },
        { "rend", "720p!" },
        { "size", 0 },
        { "dur", 0 },
        { "dur", 3_600_000_001L },
        { "init", 4 },
        { "init", -1 },
        { "disc", 1 },
        { "payload", Cid.Compute(Multicodec.DagCbor, [0x01]) },
        { "payload", Cid.CreateV0(Multihash.Sha2_256([1])) },
        { "stream", new byte[38] },
        { "stream", StreamVectors.Stream.ToArray()[..37] },
        { "created", StreamVectors.BaseTime + 16_000 + 2_592_000_000 },
        { "expires", StreamVectors.BaseTime + 16_000 + PriorityClass.Vod.MaxLifetime().Ticks / TimeSpan.TicksPerMillisecond + 1 },
        { "expires", 253_402_300_800_000 },
    };

    [Theory]
    [MemberData(nameof(SignedButInvalid))]
    public void Field_rules_are_enforced_even_when_the_signature_is_valid(string key, IpldNode value)
    {
        var unsigned = Unsigned(Signed());
        var bytes = SignMap(new IpldMap(unsigned.Entries.Where(e => e.Key != key).Append(new(key, value))));
        Assert.ThrowsAny<MalformedDataException>(() => SignedBundle.Decode(bytes));
    }

    [Fact]
    public void Live_bundles_may_not_outlive_their_class_maximum()
    {
        var vod = StreamVectors.Bundle(4);
        var live = vod with { Class = PriorityClass.Live, Expires = vod.Created + PriorityClass.Live.DefaultLifetime() };
        var tooLong = live with { Expires = live.Created + TimeSpan.FromHours(24) + TimeSpan.FromMilliseconds(1) };
        Assert.Throws<ArgumentException>(() => tooLong.Sign(StreamVectors.Key));
        var unsigned = Unsigned(live.Sign(StreamVectors.Key));
        var bytes = SignMap(new IpldMap(unsigned.Entries.Where(e => e.Key != "expires").Append(new("expires", tooLong.Expires.ToUnixTimeMilliseconds()))));
        Assert.Throws<MalformedDataException>(() => SignedBundle.Decode(bytes));
        Assert.Equal(live.Created + TimeSpan.FromHours(24), (live with { Expires = live.Created + TimeSpan.FromHours(24) }).Sign(StreamVectors.Key).Bundle.Expires);
    }

    [Fact]
    public void Expired_and_future_bundles_are_rejected_when_the_clock_is_given()
    {
        var signed = Signed();
        var expires = signed.Bundle.Expires;
        var expired = Assert.Throws<ExpiredException>(() => SignedBundle.Decode(signed.Bytes.Span, now: expires));
        Assert.Equal(expires, expired.Expires);
        Assert.True(signed.Bundle.IsExpired(expires));
        Assert.False(signed.Bundle.IsExpired(expires - TimeSpan.FromMilliseconds(1)));
        SignedBundle.Decode(signed.Bytes.Span, now: expires - TimeSpan.FromMilliseconds(1));
        var created = signed.Bundle.Created;
        SignedBundle.Decode(signed.Bytes.Span, now: created - StreamLimits.MaxClockSkew);
        Assert.Throws<VerificationException>(() => SignedBundle.Decode(signed.Bytes.Span, now: created - StreamLimits.MaxClockSkew - TimeSpan.FromMilliseconds(1)));
        SignedBundle.Decode(signed.Bytes.Span);
    }

    [Fact]
    public void A_bundle_of_another_stream_is_rejected_when_a_stream_is_expected()
    {
        var other = Ed25519PrivateKey.FromSeed(Enumerable.Repeat((byte)7, 32).ToArray());
        var foreign = (StreamVectors.Bundle(4) with { Stream = other.PeerId }).Sign(other);
        SignedBundle.Decode(foreign.Bytes.Span);
        Assert.Throws<VerificationException>(() => SignedBundle.Decode(foreign.Bytes.Span, StreamVectors.Stream));
    }

    [Fact]
    public void Oversized_input_is_refused_before_parsing()
    {
        var big = new byte[StreamLimits.MaxBundleBytes + 1];
        var e = Assert.Throws<LimitExceededException>(() => SignedBundle.Decode(big));
        Assert.Equal(StreamLimits.MaxBundleBytes, e.Limit);
    }

    [Fact]
    public void Garbage_never_escapes_as_anything_but_malformed_data()
    {
        var random = new Random(21);
        var valid = Signed().Bytes.ToArray();
        for (var i = 0; i < 2000; i++)
        {
            var bytes = valid.ToArray();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
            }
            var cut = random.Next(4) == 0 ? bytes[..random.Next(bytes.Length)] : bytes;
            if (cut.AsSpan().SequenceEqual(valid))
            {
                continue; // two flips of the same bit cancelled out
            }
            var e = Record.Exception(() => SignedBundle.Decode(cut));
            Assert.True(e is MalformedDataException or VerificationException, $"{e?.GetType().Name}: {e?.Message}");
        }
    }

    [Fact]
    public void Signing_checks_the_rules_and_the_key()
    {
        var bundle = StreamVectors.Bundle(4);
        Assert.Throws<ArgumentException>(() => (bundle with { Seq = -1 }).Sign(StreamVectors.Key));
        Assert.Throws<ArgumentException>(() => (bundle with { InitSeq = 4 }).Sign(StreamVectors.Key));
        Assert.Throws<ArgumentException>(() => (bundle with { Expires = bundle.Created }).Sign(StreamVectors.Key));
        Assert.Throws<ArgumentException>(() => (StreamVectors.Bundle(0) with { Duration = TimeSpan.FromSeconds(1) }).Sign(StreamVectors.Key));
        Assert.Throws<ArgumentException>(() => bundle.Sign(Ed25519PrivateKey.FromSeed(new byte[32])));
    }

    [Fact]
    public void Times_and_durations_keep_the_wire_precision()
    {
        var bundle = StreamVectors.Bundle(4) with
        {
            Created = StreamVectors.At(StreamVectors.BaseTime) + TimeSpan.FromTicks(9999),
            Duration = TimeSpan.FromTicks(40_000_009),
        };
        Assert.Equal(StreamVectors.At(StreamVectors.BaseTime), bundle.Created);
        Assert.Equal(TimeSpan.FromMicroseconds(4_000_000), bundle.Duration);
        var decoded = SignedBundle.Decode(bundle.Sign(StreamVectors.Key).Bytes.Span);
        Assert.Equal(bundle, decoded.Bundle);
    }

    [Fact]
    public void Priority_classes_have_the_brief_lifetimes_and_wire_names()
    {
        Assert.Equal(TimeSpan.FromMinutes(30), PriorityClass.Live.DefaultLifetime());
        Assert.Equal(TimeSpan.FromHours(6), PriorityClass.NearLive.DefaultLifetime());
        Assert.Equal(TimeSpan.FromDays(30), PriorityClass.Vod.DefaultLifetime());
        Assert.Equal(["live", "near_live", "vod"], Enum.GetValues<PriorityClass>().Select(c => c.WireName()));
        foreach (var c in Enum.GetValues<PriorityClass>())
        {
            Assert.True(c.MaxLifetime() >= c.DefaultLifetime());
        }
    }
}
