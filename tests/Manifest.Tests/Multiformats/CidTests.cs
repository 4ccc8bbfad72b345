using System.Text.Json;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Multiformats;

public sealed class CidTests
{
    private static JsonElement Vectors => JsonDocument.Parse(Fixtures.ReadText("multiformats-cid", "cid-string-vectors.json")).RootElement;

    public static TheoryData<string> ValidCidStrings()
    {
        var data = new TheoryData<string>();
        foreach (var v in Vectors.GetProperty("valid").EnumerateArray())
        {
            if (v.TryGetProperty("version", out _))
            {
                data.Add(v.GetRawText());
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ValidCidStrings))]
    public void Valid_vectors_parse_to_the_expected_bytes_and_version(string json)
    {
        var v = JsonDocument.Parse(json).RootElement;
        var text = v.GetProperty("string").GetString()!;
        var cid = Cid.Parse(text);
        Assert.Equal(v.GetProperty("version").GetInt32(), cid.Version);
        Assert.Equal(Multicodec.Sha2_256, cid.Hash.Code);
        if (v.TryGetProperty("bytesHex", out var hex))
        {
            Assert.Equal(hex.GetString(), Convert.ToHexStringLower(cid.Bytes));
        }
        if (v.TryGetProperty("canonicalBase58", out var base58))
        {
            Assert.Equal(base58.GetString(), cid.ToString(MultibaseEncoding.Base58Btc));
        }
        if (cid.Version == 0)
        {
            Assert.Equal(text, cid.ToString());
        }
        Assert.Equal(cid, Cid.Decode(cid.Bytes));
        Assert.Equal(cid, Cid.Parse(cid.ToString()));
    }

    public static TheoryData<string> InvalidCidStrings()
    {
        var data = new TheoryData<string>();
        foreach (var v in Vectors.GetProperty("invalid").EnumerateArray())
        {
            data.Add(v.GetProperty("string").GetString()!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidCidStrings))]
    [InlineData("bafy")]
    [InlineData("zQmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n")]
    [InlineData("f0255122000")]
    [InlineData("f01551220")]
    public void Invalid_strings_are_rejected(string text)
    {
        Assert.ThrowsAny<MalformedDataException>(() => Cid.Parse(text));
        Assert.False(Cid.TryParse(text, out _));
    }

    [Fact]
    public void Peer_id_cid_from_the_libp2p_spec_has_the_libp2p_key_codec()
    {
        var cid = Cid.Parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
        Assert.Equal(Multicodec.Libp2pKey, cid.Codec);
        Assert.Equal("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N", Multibase.EncodeBare(cid.Hash.Bytes, MultibaseEncoding.Base58Btc));
    }

    [Fact]
    public void V0_and_v1_of_the_same_hash_differ_as_cids_but_share_the_multihash()
    {
        var v0 = Cid.Parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n");
        var v1 = v0.ToV1();
        Assert.NotEqual(v0, v1);
        Assert.Equal(v0.Hash, v1.Hash);
        Assert.Equal(Multicodec.DagPb, v1.Codec);
    }

    [Fact]
    public void Compute_gives_the_well_known_cid_of_empty_raw_data()
    {
        Assert.Equal("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", Cid.Compute(Multicodec.Raw, []).ToString());
    }

    [Fact]
    public void Equality_is_by_bytes_whatever_the_string_base()
    {
        var a = Cid.Compute(Multicodec.Raw, "hello"u8);
        var b = Cid.Parse(a.ToString(MultibaseEncoding.Base58Btc));
        var c = Cid.Parse(a.ToString(MultibaseEncoding.Base36));
        Assert.Equal(a, b);
        Assert.Equal(a, c);
        Assert.True(a == c);
        Assert.Equal(a.GetHashCode(), c.GetHashCode());
        Assert.True(a.Matches("hello"u8));
        Assert.False(a.Matches("hellO"u8));
    }

    [Fact]
    public void DecodeFirst_leaves_the_remainder()
    {
        var cid = Cid.Compute(Multicodec.DagCbor, [0xa0]);
        var bytes = cid.ToArray().Concat(new byte[] { 9, 9 }).ToArray();
        var decoded = Cid.DecodeFirst(bytes, out var consumed);
        Assert.Equal(cid, decoded);
        Assert.Equal(bytes.Length - 2, consumed);
        Assert.ThrowsAny<MalformedDataException>(() => Cid.Decode(bytes));
    }
}
