using System.Text;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Codecs.DagJson;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Tests.Codecs;

public sealed class DagJsonTests
{
    private static readonly Cid SampleCid = Cid.Parse("bafyreidykglsfhoixmivffc5uwhcgshx4j465xwqntbmu43nb2dzqwfvae");

    [Fact]
    public void Encoding_is_compact_with_keys_sorted_bytewise()
    {
        var node = IpldMap.Of(("bb", 1), ("a", new IpldList(true, false, IpldNode.Null)), ("aa", "x"), ("é", -2));
        Assert.Equal("{\"a\":[true,false,null],\"aa\":\"x\",\"bb\":1,\"é\":-2}", DagJson.Encode(node));
    }

    [Fact]
    public void Links_and_bytes_use_the_reserved_namespace()
    {
        var node = new IpldList(SampleCid, new byte[] { 0xa1 }, Array.Empty<byte>());
        var json = DagJson.Encode(node);
        Assert.Equal($"[{{\"/\":\"{SampleCid}\"}},{{\"/\":{{\"bytes\":\"oQ\"}}}},{{\"/\":{{\"bytes\":\"\"}}}}]", json);
        Assert.Equal(node, DagJson.Decode(json));
    }

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(-2.0, "-2.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1.5, "1.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.2345e21, "1.2345e+21")]
    [InlineData(123456789012345680000.0, "123456789012345680000.0")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(8.940696716308594e-8, "8.940696716308594e-8")]
    [InlineData(82497.63712086187, "82497.63712086187")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    public void Floats_are_written_like_javascript_with_a_point_when_integral(double value, string expected)
    {
        var json = DagJson.Encode(value);
        Assert.Equal(expected, json);
        var decoded = DagJson.Decode(json);
        Assert.Equal(IpldKind.Float, decoded.Kind);
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(decoded.AsFloat()));
    }

    [Theory]
    [InlineData("18446744073709551615")]
    [InlineData("-18446744073709551616")]
    [InlineData("9007199254740993")]
    [InlineData("0")]
    public void Integers_are_exact_over_the_whole_range(string text)
    {
        var node = DagJson.Decode(text);
        Assert.Equal(IpldKind.Integer, node.Kind);
        Assert.Equal(text, DagJson.Encode(node));
    }

    [Fact]
    public void Strings_are_escaped_like_json_stringify()
    {
        var node = new IpldString("q\"b\\n\nt\tc\u0001\u001f\b\f\r\u007f é😀");
        var json = DagJson.Encode(node);
        Assert.Equal("\"q\\\"b\\\\n\\nt\\tc\\u0001\\u001f\\b\\f\\r\u007f é😀\"", json);
        Assert.Equal(node, DagJson.Decode(json));
        Assert.Equal(new IpldString("😀"), DagJson.Decode("\"\\ud83d\\ude00\""));
    }

    [Fact]
    public void Whitespace_and_key_order_are_accepted_on_decode_and_canonicalised_on_encode()
    {
        var node = DagJson.Decode(" {\n \"b\" : 1 ,\t\"a\" : [ 2 , 3.5 ] } ");
        Assert.Equal("{\"a\":[2,3.5],\"b\":1}", DagJson.Encode(node));
    }

    [Theory]
    [InlineData("{\"/\":\"foo\",\"bar\":\"baz\"}", "link form with a second key")]
    [InlineData("{\"/\":{\"bytes\":\"foo\",\"bar\":\"baz\"}}", "bytes form with a second inner key")]
    [InlineData("{\"/\":{\"bytes\":\"foo\"},\"bar\":\"baz\"}", "bytes form with a second outer key")]
    [InlineData("{\"/\":\"foo\"}", "link that is not a CID")]
    [InlineData("{\"/\":\"zdj7Wd8AMwqnhJGQCbFxBVodGSBG84TM7Hs1rcJuQMwTyfEDS\"}", "CIDv1 not in base32")]
    [InlineData("{\"/\":\"BAFYREIDYKGLSFHOIXMIVFFC5UWHCGSHX4J465XWQNTBMU43NB2DZQWFVAE\"}", "CIDv1 in upper-case base32")]
    [InlineData("{\"/\":{\"bytes\":\"oQ==\"}}", "padded base64")]
    [InlineData("{\"/\":{\"bytes\":\"oR\"}}", "base64 with non-zero trailing bits")]
    [InlineData("{\"/\":{\"bytes\":\"o Q\"}}", "base64 with whitespace")]
    [InlineData("{\"/\":{\"bytes\":\"-_8\"}}", "url-safe base64")]
    [InlineData("{\"/\":{\"bytes\":\"o\"}}", "base64 of impossible length")]
    [InlineData("{\"a\":1,\"a\":2}", "duplicate key")]
    [InlineData("18446744073709551616", "integer above 2^64-1")]
    [InlineData("-18446744073709551617", "integer below -2^64")]
    [InlineData("123456789012345678901234567890", "huge integer")]
    [InlineData("1e400", "float overflow")]
    [InlineData("NaN", "NaN")]
    [InlineData("Infinity", "Infinity")]
    [InlineData("01", "leading zero")]
    [InlineData("\"\\ud800\"", "lone surrogate escape")]
    [InlineData("[1,]", "trailing comma")]
    [InlineData("[1] // c", "comment")]
    [InlineData("1 2", "two values")]
    [InlineData("{}x", "trailing garbage")]
    [InlineData("", "empty")]
    [InlineData("[", "truncated")]
    [InlineData("'a'", "single quotes")]
    public void Rejects_invalid_dag_json(string json, string why)
    {
        var ex = Assert.ThrowsAny<MalformedDataException>(() => DagJson.Decode(json));
        Assert.True(ex.Format == "dag-json", why);
    }

    [Theory]
    [InlineData("{\"/\":true,\"bar\":\"baz\"}")]
    [InlineData("{\"/\":{\"abar\":\"baz\",\"bytes\":\"foo\"}}")]
    [InlineData("{\"/\":{\"bytes\":true},\"bar\":\"baz\"}")]
    [InlineData("{\"\":1,\"/\":\"x\"}")]
    [InlineData("{\"/\":{\"/\":\"bafyreidykglsfhoixmivffc5uwhcgshx4j465xwqntbmu43nb2dzqwfvae\"}}")]
    public void Maps_the_spec_allows_around_the_reserved_namespace_round_trip(string json)
    {
        var node = DagJson.Decode(json);
        Assert.Equal(IpldKind.Map, node.Kind);
        Assert.Equal(json, DagJson.Encode(node));
        Assert.Equal(node, DagCbor.Decode(DagCbor.Encode(node)));
    }

    // The spec calls these valid because their first key as written is not "/" (its example
    // "0bar" does not actually sort before "/"). They decode, but their canonical encoding would
    // put "/" first and read back as a broken link or bytes form, so they cannot be encoded.
    [Theory]
    [InlineData("{\"0bar\":\"baz\",\"/\":\"foo\"}")]
    [InlineData("{\"bar\":\"baz\",\"/\":\"foo\"}")]
    [InlineData("{\"0bar\":\"baz\",\"/\":{\"bytes\":\"foo\"}}")]
    public void Maps_with_slash_not_written_first_decode_but_have_no_canonical_form(string json)
    {
        var node = DagJson.Decode(json);
        Assert.Equal(2, node.AsMap().Count);
        Assert.ThrowsAny<MalformedDataException>(() => DagJson.Encode(node));
        Assert.Equal(node, DagCbor.Decode(DagCbor.Encode(node)));
    }

    [Fact]
    public void Maps_that_collide_with_the_reserved_forms_cannot_be_encoded()
    {
        Assert.ThrowsAny<MalformedDataException>(() => DagJson.Encode(IpldMap.Of(("/", "foo"))));
        Assert.ThrowsAny<MalformedDataException>(() => DagJson.Encode(IpldMap.Of(("/", SampleCid.ToString()))));
        Assert.ThrowsAny<MalformedDataException>(() => DagJson.Encode(IpldMap.Of(("/", IpldMap.Of(("bytes", "AA"))))));
        Assert.ThrowsAny<MalformedDataException>(() => DagJson.Encode(IpldMap.Of(("/", "x"), ("z", 1))));
        // A link or bytes as the value of "/" is data, not a reserved form.
        var nested = IpldMap.Of(("/", SampleCid));
        Assert.Equal(nested, DagJson.Decode(DagJson.Encode(nested)));
        var nestedBytes = IpldMap.Of(("/", new byte[] { 1 }));
        Assert.Equal(nestedBytes, DagJson.Decode(DagJson.Encode(nestedBytes)));
    }

    [Fact]
    public void Invalid_utf8_input_is_rejected()
    {
        Assert.ThrowsAny<MalformedDataException>(() => DagJson.Decode([(byte)'"', 0xc3, 0x28, (byte)'"']));
        Assert.ThrowsAny<MalformedDataException>(() => DagJson.Encode(new IpldString("\uD800")));
    }

    [Fact]
    public void Limits_count_data_model_depth_not_json_wrappers()
    {
        var lists64 = new string('[', 64) + new string(']', 64);
        Assert.Equal(IpldKind.List, DagJson.Decode(lists64).Kind);
        var withBytes = new string('[', 64) + "{\"/\":{\"bytes\":\"AA\"}}" + new string(']', 64);
        Assert.Equal(IpldKind.List, DagJson.Decode(withBytes).Kind);
        var depth = Assert.Throws<LimitExceededException>(() => DagJson.Decode("[" + lists64 + "]"));
        Assert.Equal(64, depth.Limit);
        Assert.Throws<LimitExceededException>(() => DagJson.Decode(new string('[', 64) + "{\"a\":1}" + new string(']', 64)));
        Assert.Throws<LimitExceededException>(() => DagJson.Decode(new string('[', 100_000)));

        Assert.Throws<LimitExceededException>(() => DagJson.Decode("[1,2,3]", new DagJsonLimits { MaxCollectionLength = 2 }));
        Assert.Throws<LimitExceededException>(() => DagJson.Decode("\"abc\"", new DagJsonLimits { MaxStringLength = 2 }));
        Assert.Equal(new IpldString("é"), DagJson.Decode("\"\\u00e9\"", new DagJsonLimits { MaxStringLength = 2 }));
    }

    [Fact]
    public void Cid_is_computed_over_the_canonical_bytes()
    {
        var node = IpldMap.Of(("a", 1));
        Assert.Equal(Cid.Compute(Multicodec.DagJson, "{\"a\":1}"u8), DagJson.ComputeCid(node));
    }

    [Fact]
    public void Mutated_documents_only_ever_throw_malformed_data()
    {
        var random = new Random(7);
        var seed = DagJson.EncodeUtf8(IpldMap.Of(
            ("a", new IpldList(1, -500, 1.25, "x\"y", new byte[] { 9, 8 }, SampleCid)),
            ("bb", IpldMap.Of(("c", true), ("d", IpldNode.Null), ("e", 1e-9)))));
        const string alphabet = "{}[]\":,/\\0123456789.eE-+ abtrunflsy";
        var accepted = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var data = (byte[])seed.Clone();
            for (var flips = random.Next(1, 3); flips > 0; flips--)
            {
                data[random.Next(data.Length)] = random.Next(4) == 0 ? (byte)random.Next(256) : (byte)alphabet[random.Next(alphabet.Length)];
            }
            try
            {
                var node = DagJson.Decode(data);
                Assert.Equal(node, DagJson.Decode(DagJson.EncodeUtf8(node)));
                accepted++;
            }
            catch (MalformedDataException)
            {
            }
        }
        Assert.InRange(accepted, 1, 19_999);
        Assert.NotEmpty(Encoding.UTF8.GetString(seed));
    }
}
