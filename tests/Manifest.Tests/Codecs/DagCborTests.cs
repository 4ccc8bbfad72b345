using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Tests.Codecs;

public sealed class DagCborTests
{
    private static readonly Cid SampleCid = Cid.Parse("bafyreidykglsfhoixmivffc5uwhcgshx4j465xwqntbmu43nb2dzqwfvae");

    [Theory]
    [InlineData("00", 0L)]
    [InlineData("17", 23L)]
    [InlineData("1818", 24L)]
    [InlineData("18ff", 255L)]
    [InlineData("190100", 256L)]
    [InlineData("1a00010000", 65536L)]
    [InlineData("1b0000000100000000", 4294967296L)]
    [InlineData("20", -1L)]
    [InlineData("3818", -25L)]
    [InlineData("3b7fffffffffffffff", long.MinValue)]
    public void Integers_use_the_shortest_head(string hex, long value)
    {
        Assert.Equal(hex, Convert.ToHexStringLower(DagCbor.Encode(value)));
        Assert.Equal(value, DagCbor.Decode(Convert.FromHexString(hex)).AsInt64());
    }

    [Fact]
    public void Integers_span_minus_two_to_the_64_to_two_to_the_64_minus_one()
    {
        Assert.Equal("1bffffffffffffffff", Convert.ToHexStringLower(DagCbor.Encode(new IpldInteger(IpldInteger.MaxValue))));
        Assert.Equal("3bffffffffffffffff", Convert.ToHexStringLower(DagCbor.Encode(new IpldInteger(IpldInteger.MinValue))));
        Assert.Equal(IpldInteger.MinValue, DagCbor.Decode(Convert.FromHexString("3bffffffffffffffff")).AsInteger());
    }

    [Fact]
    public void Floats_are_always_64_bit()
    {
        Assert.Equal("fb3ff8000000000000", Convert.ToHexStringLower(DagCbor.Encode(1.5)));
        Assert.Equal("fb8000000000000000", Convert.ToHexStringLower(DagCbor.Encode(-0.0)));
        Assert.Equal(1.5, DagCbor.Decode(Convert.FromHexString("fb3ff8000000000000")).AsFloat());
    }

    [Fact]
    public void Map_keys_are_sorted_length_first_then_bytewise()
    {
        var map = IpldMap.Of(("bb", 1), ("a", 2), ("ab", 3), ("é", 4), ("z", 5));
        var bytes = DagCbor.Encode(map);
        // a, z (1 byte), ab, bb, é (2 bytes: c3 a9)
        Assert.Equal("a5616102617a0562616203626262016" + "2c3a904", Convert.ToHexStringLower(bytes));
        Assert.Equal(map, DagCbor.Decode(bytes));
    }

    [Fact]
    public void Key_order_follows_utf8_bytes_not_utf16_code_units()
    {
        // U+FF61 (ef bd a1) sorts before U+10000 (f0 90 80 80) in UTF-8 but after it in UTF-16.
        var map = IpldMap.Of(("\U00010000", 1), ("\uFF61x", 2));
        var decoded = DagCbor.Decode(DagCbor.Encode(map)).AsMap();
        Assert.Equal(["\uFF61x", "\U00010000"], decoded.Entries.Select(e => e.Key));
    }

    [Fact]
    public void Links_are_tag_42_over_identity_prefixed_cid_bytes()
    {
        var bytes = DagCbor.Encode(SampleCid);
        Assert.Equal("d82a5825" + "00" + Convert.ToHexStringLower(SampleCid.Bytes), Convert.ToHexStringLower(bytes));
        Assert.Equal(SampleCid, DagCbor.Decode(bytes).AsLink());
    }

    [Fact]
    public void Nested_document_round_trips_and_computes_its_cid()
    {
        var node = IpldMap.Of(
            ("name", "segment-7"),
            ("payload", SampleCid),
            ("sizes", new IpldList(1, 1 << 20, -3)),
            ("raw", new byte[] { 1, 2, 3 }),
            ("ok", true),
            ("none", IpldNode.Null),
            ("ratio", 0.25));
        var bytes = DagCbor.Encode(node);
        Assert.Equal(node, DagCbor.Decode(bytes));
        Assert.Equal(Cid.Compute(Multicodec.DagCbor, bytes), DagCbor.ComputeCid(node));
        Assert.Equal(Multicodec.DagCbor, DagCbor.ComputeCid(node).Codec);
    }

    [Fact]
    public void DecodeFirst_reports_consumed_bytes_and_Decode_rejects_trailing_bytes()
    {
        var data = Convert.FromHexString("8201026161");
        var node = DagCbor.DecodeFirst(data, out var consumed);
        Assert.Equal(3, consumed);
        Assert.Equal(new IpldList(1, 2), node);
        Assert.Throws<MalformedDataException>(() => DagCbor.Decode(data));
    }

    [Theory]
    [InlineData("1817", "integer not in shortest form")]
    [InlineData("190017", "integer not in shortest form (16-bit)")]
    [InlineData("1a0000ffff", "integer not in shortest form (32-bit)")]
    [InlineData("1b00000000ffffffff", "integer not in shortest form (64-bit)")]
    [InlineData("5801ff", "byte string length not in shortest form")]
    [InlineData("980100", "array length not in shortest form")]
    [InlineData("a1016161", "integer map key")]
    [InlineData("a2616201616102", "keys out of order")]
    [InlineData("a2626161016162", "shorter key after longer key")]
    [InlineData("a2616101616102", "duplicate key")]
    [InlineData("c074323031332d30332d32315432303a30343a30305a", "tag 0")]
    [InlineData("d82b4100", "tag 43")]
    [InlineData("d9002a4100", "tag 42 not in shortest form")]
    [InlineData("d82a6161", "tag 42 over a text string")]
    [InlineData("d82a4101", "tag 42 without 0x00 prefix")]
    [InlineData("d82a5f41004101ff", "tag 42 over an indefinite byte string")]
    [InlineData("d82a5c" + "00000000000000000000000000000000000000000000000000000000000000000000000000", "tag 42 over reserved additional information")]
    [InlineData("d82a58250001711220", "tag 42 with a truncated CID")]
    [InlineData("d82a", "tag 42 with nothing after it")]
    [InlineData("d8", "truncated tag")]
    [InlineData("d82a420001", "tag 42 with invalid CID")]
    [InlineData("f93c00", "half float")]
    [InlineData("fa3fc00000", "single float")]
    [InlineData("fb7ff8000000000000", "NaN")]
    [InlineData("fbfff0000000000000", "-Infinity")]
    [InlineData("f7", "undefined")]
    [InlineData("f0", "simple(16)")]
    [InlineData("f818", "simple(24)")]
    [InlineData("ff", "break")]
    [InlineData("5f4101ff", "indefinite byte string")]
    [InlineData("9fff", "indefinite array")]
    [InlineData("bfff", "indefinite map")]
    [InlineData("1c", "reserved additional information")]
    [InlineData("62c328", "invalid UTF-8")]
    [InlineData("63eda080", "UTF-8 encoded surrogate")]
    [InlineData("", "empty input")]
    [InlineData("19ff", "truncated integer")]
    [InlineData("6461", "truncated string")]
    [InlineData("8201", "truncated array")]
    [InlineData("fb3ff0", "truncated float")]
    [InlineData("a161", "truncated key")]
    public void Rejects_non_canonical_or_non_data_model_input(string hex, string why)
    {
        var ex = Assert.ThrowsAny<MalformedDataException>(() => DagCbor.Decode(Convert.FromHexString(hex)));
        Assert.True(ex.Format == "dag-cbor", why);
    }

    [Fact]
    public void Huge_declared_map_is_rejected_before_allocation()
    {
        // A map of 2^32 entries with 10 bytes following.
        var data = Convert.FromHexString("bb0000000100000000" + "00112233445566778899");
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.ThrowsAny<MalformedDataException>(() => DagCbor.Decode(data));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Fact]
    public void Nested_declared_counts_share_one_byte_budget()
    {
        // Each list claims 5 items but there are only 6 bytes in all: the inner header must
        // already fail because the outer list still needs 4 more bytes.
        var ex = Assert.ThrowsAny<MalformedDataException>(() => DagCbor.Decode(Convert.FromHexString("858500000000")));
        Assert.Contains("bytes left", ex.Message);
    }

    [Fact]
    public void Limits_are_enforced()
    {
        var deep = Enumerable.Repeat((byte)0x81, 65).Append((byte)0x00).ToArray();
        var depth = Assert.Throws<LimitExceededException>(() => DagCbor.Decode(deep));
        Assert.Equal(64, depth.Limit);
        Assert.NotNull(DagCbor.Decode(deep, DagCborLimits.Default with { MaxDepth = 65 }));

        var items = Assert.Throws<LimitExceededException>(() =>
            DagCbor.Decode(Convert.FromHexString("83010203"), new DagCborLimits { MaxCollectionLength = 2 }));
        Assert.Equal(3, items.Declared);

        Assert.Throws<LimitExceededException>(() =>
            DagCbor.Decode(Convert.FromHexString("63616263"), new DagCborLimits { MaxStringLength = 2 }));
    }

    [Fact]
    public void Encode_refuses_what_has_no_dag_cbor_form()
    {
        Assert.ThrowsAny<MalformedDataException>(() => DagCbor.Encode(new IpldString("a\uD800")));
        IpldNode deep = IpldList.Empty;
        for (var i = 0; i < 64; i++)
        {
            deep = new IpldList(deep);
        }
        Assert.Throws<LimitExceededException>(() => DagCbor.Encode(deep));
    }

    [Fact]
    public void Encode_into_a_buffer_writer_appends()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        DagCbor.Encode(new IpldList(1, "a"), buffer);
        DagCbor.Encode(IpldNode.Null, buffer);
        Assert.Equal("82016161f6", Convert.ToHexStringLower(buffer.WrittenSpan));
    }

    [Fact]
    public void Mutated_blocks_only_ever_throw_malformed_data()
    {
        var random = new Random(42);
        var seed = DagCbor.Encode(IpldMap.Of(
            ("a", new IpldList(1, -500, 1.25, "xyz", new byte[] { 9, 8 }, SampleCid)),
            ("bb", IpldMap.Of(("c", true), ("d", IpldNode.Null)))));
        var accepted = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var data = (byte[])seed.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                data[random.Next(data.Length)] = (byte)random.Next(256);
            }
            var length = random.Next(2) == 0 ? data.Length : random.Next(data.Length + 1);
            try
            {
                var node = DagCbor.Decode(data.AsSpan(0, length));
                Assert.Equal(Convert.ToHexString(data, 0, length), Convert.ToHexString(DagCbor.Encode(node)));
                accepted++;
            }
            catch (MalformedDataException)
            {
            }
        }
        Assert.InRange(accepted, 1, 19_999);
    }
}
