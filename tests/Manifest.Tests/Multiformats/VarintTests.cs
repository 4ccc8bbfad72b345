using System.Text.Json;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Multiformats;

public sealed class VarintTests
{
    private static JsonElement Vectors => JsonDocument.Parse(Fixtures.ReadText("multiformats-unsigned-varint", "varint-vectors.json")).RootElement;

    public static TheoryData<ulong, string> Valid()
    {
        var data = new TheoryData<ulong, string>();
        foreach (var v in Vectors.GetProperty("valid").EnumerateArray())
        {
            data.Add(v.GetProperty("value").GetUInt64(), v.GetProperty("hex").GetString()!);
        }
        return data;
    }

    public static TheoryData<string, string> Invalid()
    {
        var data = new TheoryData<string, string>();
        foreach (var v in Vectors.GetProperty("invalid").EnumerateArray())
        {
            data.Add(v.GetProperty("name").GetString()!, v.GetProperty("hex").GetString()!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void Encodes_and_decodes_spec_examples(ulong value, string hex)
    {
        Assert.Equal(hex, Convert.ToHexStringLower(Varint.Encode(value)));
        Assert.Equal(value, Varint.Read(Convert.FromHexString(hex), out var consumed));
        Assert.Equal(hex.Length / 2, consumed);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Rejects_invalid_vectors(string name, string hex)
    {
        var ex = Assert.ThrowsAny<MalformedDataException>(() => Varint.Read(Convert.FromHexString(hex), out _));
        Assert.Equal("varint", ex.Format);
        Assert.NotEmpty(name);
    }

    [Fact]
    public void Round_trips_every_value_below_65536_with_the_expected_size()
    {
        Span<byte> buffer = stackalloc byte[Varint.MaxLength];
        for (ulong value = 0; value < 65536; value++)
        {
            var written = Varint.Write(value, buffer);
            var expected = value < 1 << 7 ? 1 : value < 1 << 14 ? 2 : 3;
            Assert.Equal(expected, written);
            Assert.Equal(value, Varint.Read(buffer[..written], out var consumed));
            Assert.Equal(written, consumed);
        }
    }

    [Fact]
    public void Nine_byte_maximum_round_trips_and_larger_values_are_refused()
    {
        var max = Varint.Encode(Varint.MaxValue);
        Assert.Equal(9, max.Length);
        Assert.Equal(Varint.MaxValue, Varint.Read(max, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Varint.Encode(Varint.MaxValue + 1));
    }

    [Fact]
    public void TryRead_reports_need_more_for_a_truncated_prefix()
    {
        Assert.False(Varint.TryRead([0x80, 0x80], out _, out _));
        Assert.False(Varint.TryRead([], out _, out _));
        Assert.True(Varint.TryRead([0x80, 0x01, 0xff], out var value, out var consumed));
        Assert.Equal(128UL, value);
        Assert.Equal(2, consumed);
    }

    [Fact]
    public void ReadBounded_rejects_values_past_the_limit()
    {
        var ex = Assert.Throws<LimitExceededException>(() => Varint.ReadBounded(Varint.Encode(1_000_001), 1_000_000, "length", out _));
        Assert.Equal(1_000_001, ex.Declared);
    }
}
