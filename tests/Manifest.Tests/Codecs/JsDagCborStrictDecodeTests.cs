using System.Text.Json;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Codecs;

/// <summary>The strict-decode cases of ipld/js-dag-cbor's test-basics.spec.js.</summary>
public sealed class JsDagCborStrictDecodeTests
{
    public static TheoryData<string, string> MustReject() => Cases("mustReject");

    // js-dag-cbor turns undefined into null; strict dag-cbor has no undefined at all.
    public static TheoryData<string, string> SloppyInJs() => Cases("sloppyInJs");

    [Fact]
    public void Case_file_is_complete()
    {
        Assert.Equal(16, MustReject().Count);
        Assert.Equal(2, SloppyInJs().Count);
    }

    [Theory]
    [MemberData(nameof(MustReject))]
    [MemberData(nameof(SloppyInJs))]
    public void Case_is_rejected(string why, string hex)
    {
        var ex = Assert.ThrowsAny<MalformedDataException>(() => DagCbor.Decode(Convert.FromHexString(hex)));
        Assert.True(ex.Format == "dag-cbor", why);
    }

    [Fact]
    public void Trailing_bytes_after_the_top_level_item_are_rejected()
    {
        var valid = DagCbor.Encode(IpldMap.Of(("a", 1)));
        Assert.Throws<MalformedDataException>(() => DagCbor.Decode([.. valid, 0x01]));
        Assert.Throws<MalformedDataException>(() => DagCbor.Decode([.. valid, .. valid]));
    }

    [Fact]
    public void Fixed_object_encodes_four_links_as_d82a()
    {
        var cid = Cid.Parse("QmRgutAxd8t7oGkSm4wmeuByG6M51wcTso6cubDdQtuEfL");
        var obj = IpldMap.Of(
            ("someKey", "someValue"),
            ("link", cid),
            ("links", new IpldList(cid, cid)),
            ("nested", IpldMap.Of(("hello", "world"), ("link", cid))),
            ("bytes", "asdf"u8.ToArray()));
        var hex = Convert.ToHexStringLower(DagCbor.Encode(obj));
        var count = 0;
        for (var i = hex.IndexOf("d82a", StringComparison.Ordinal); i >= 0; i = hex.IndexOf("d82a", i + 4, StringComparison.Ordinal))
        {
            count += i % 2 == 0 ? 1 : 0;
        }
        Assert.Equal(4, count);
        Assert.Equal(obj, DagCbor.Decode(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Slash_key_with_a_non_link_value_is_a_plain_map()
    {
        var node = IpldMap.Of(("/", true));
        Assert.Equal(node, DagCbor.Decode(DagCbor.Encode(node)));
    }

    private static TheoryData<string, string> Cases(string group)
    {
        using var json = JsonDocument.Parse(Fixtures.ReadText("ipld-js-dag-cbor", "dag-cbor-strict-decode-cases.json"));
        var data = new TheoryData<string, string>();
        foreach (var item in json.RootElement.GetProperty(group).EnumerateArray())
        {
            data.Add(item.GetProperty("why").GetString()!, item.GetProperty("hex").GetString()!);
        }
        return data;
    }
}
