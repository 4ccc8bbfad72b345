using System.Globalization;
using System.Text.Json;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Codecs;

/// <summary>
/// RFC 7049 Appendix A examples (cbor/test-vectors appendix_a.json), each judged against the
/// dag-cbor strictness rules: the ones dag-cbor allows must decode to the listed value and
/// re-encode to the same bytes; every other one must be rejected, for the reason given here.
/// </summary>
public sealed class CborAppendixATests
{
    private static readonly Dictionary<string, string> Rejected = new()
    {
        ["c249010000000000000000"] = "tag 2 (bignum)",
        ["c349010000000000000000"] = "tag 3 (negative bignum)",
        ["f90000"] = "half float 0.0",
        ["f98000"] = "half float -0.0",
        ["f93c00"] = "half float 1.0",
        ["f93e00"] = "half float 1.5",
        ["f97bff"] = "half float 65504.0",
        ["fa47c35000"] = "single float 100000.0",
        ["fa7f7fffff"] = "single float 3.4028234663852886e+38",
        ["f90001"] = "half float 5.960464477539063e-08",
        ["f90400"] = "half float 6.103515625e-05",
        ["f9c400"] = "half float -4.0",
        ["f97c00"] = "half float Infinity",
        ["f97e00"] = "half float NaN",
        ["f9fc00"] = "half float -Infinity",
        ["fa7f800000"] = "single float Infinity",
        ["fa7fc00000"] = "single float NaN",
        ["faff800000"] = "single float -Infinity",
        ["fb7ff0000000000000"] = "Infinity",
        ["fb7ff8000000000000"] = "NaN",
        ["fbfff0000000000000"] = "-Infinity",
        ["f7"] = "undefined",
        ["f0"] = "simple(16)",
        ["f818"] = "simple(24)",
        ["f8ff"] = "simple(255)",
        ["c074323031332d30332d32315432303a30343a30305a"] = "tag 0 (date string)",
        ["c11a514b67b0"] = "tag 1 (epoch time)",
        ["c1fb41d452d9ec200000"] = "tag 1 (epoch time, float)",
        ["d74401020304"] = "tag 23",
        ["d818456449455446"] = "tag 24",
        ["d82076687474703a2f2f7777772e6578616d706c652e636f6d"] = "tag 32 (URI)",
        ["a201020304"] = "integer map keys",
        ["5f42010243030405ff"] = "indefinite byte string",
        ["7f657374726561646d696e67ff"] = "indefinite text string",
        ["9fff"] = "indefinite array",
        ["9f018202039f0405ffff"] = "indefinite arrays",
        ["9f01820203820405ff"] = "indefinite array",
        ["83018202039f0405ff"] = "indefinite inner array",
        ["83019f0203ff820405"] = "indefinite inner array",
        ["9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff"] = "indefinite array",
        ["bf61610161629f0203ffff"] = "indefinite map",
        ["826161bf61626163ff"] = "indefinite inner map",
        ["bf6346756ef563416d7421ff"] = "indefinite map",
    };

    // The two accepted vectors the file gives only in diagnostic notation.
    private static readonly Dictionary<string, IpldNode> DiagnosticOnly = new()
    {
        ["40"] = Array.Empty<byte>(),
        ["4401020304"] = new byte[] { 1, 2, 3, 4 },
    };

    public static TheoryData<string> AcceptedHex() => new(Vectors().Select(v => v.Hex).Where(h => !Rejected.ContainsKey(h)));

    public static TheoryData<string, string> RejectedHex()
    {
        var data = new TheoryData<string, string>();
        foreach (var (hex, why) in Rejected)
        {
            data.Add(hex, why);
        }
        return data;
    }

    [Fact]
    public void Every_vector_is_judged()
    {
        var all = Vectors().Select(v => v.Hex).ToList();
        Assert.Equal(82, all.Count);
        Assert.Empty(Rejected.Keys.Except(all));
        Assert.Equal(39, AcceptedHex().Count);
        Assert.Equal(43, RejectedHex().Count);
    }

    [Theory]
    [MemberData(nameof(AcceptedHex))]
    public void Allowed_vector_decodes_to_its_value_and_round_trips(string hex)
    {
        var vector = Vectors().Single(v => v.Hex == hex);
        var bytes = Convert.FromHexString(hex);

        var node = DagCbor.Decode(bytes);

        Assert.True(vector.Roundtrip);
        var expected = vector.Decoded is { } decoded ? FromJson(decoded) : DiagnosticOnly[hex];
        Assert.Equal(expected, node);
        Assert.Equal(hex, Convert.ToHexStringLower(DagCbor.Encode(node)));
    }

    [Theory]
    [MemberData(nameof(RejectedHex))]
    public void Vector_outside_dag_cbor_is_rejected(string hex, string why)
    {
        var ex = Assert.ThrowsAny<MalformedDataException>(() => DagCbor.Decode(Convert.FromHexString(hex)));
        Assert.True(ex.Format == "dag-cbor", why);
    }

    private static IEnumerable<(string Hex, bool Roundtrip, JsonElement? Decoded)> Vectors()
    {
        using var json = JsonDocument.Parse(Fixtures.ReadText("cbor-test-vectors", "appendix_a.json"));
        return json.RootElement.EnumerateArray()
            .Select(v => (
                v.GetProperty("hex").GetString()!,
                v.GetProperty("roundtrip").GetBoolean(),
                v.TryGetProperty("decoded", out var d) ? d.Clone() : (JsonElement?)null))
            .ToList();
    }

    private static IpldNode FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => IpldNode.Null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number when element.GetRawText().All(c => char.IsAsciiDigit(c) || c == '-') =>
            new IpldInteger(Int128.Parse(element.GetRawText(), CultureInfo.InvariantCulture)),
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.Array => new IpldList(element.EnumerateArray().Select(FromJson)),
        JsonValueKind.Object => new IpldMap(element.EnumerateObject().Select(p => new KeyValuePair<string, IpldNode>(p.Name, FromJson(p.Value)))),
        _ => throw new InvalidDataException($"unexpected JSON {element.ValueKind}"),
    };
}
