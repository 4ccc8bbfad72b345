using System.Text;
using System.Text.Json;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Multiformats;

public sealed class MultihashTests
{
    private static readonly Dictionary<string, MultihashAlgorithm> Supported = new()
    {
        ["sha2-256"] = MultihashAlgorithm.Sha2_256,
        ["sha2-512"] = MultihashAlgorithm.Sha2_512,
        ["Sha2_256"] = MultihashAlgorithm.Sha2_256,
        ["Sha2_512"] = MultihashAlgorithm.Sha2_512,
    };

    public static TheoryData<string, int, string, string> SpecTestCases()
    {
        var data = new TheoryData<string, int, string, string>();
        foreach (var line in File.ReadLines(Fixtures.PathOf("multiformats-multihash", "tests", "values", "test_cases.csv")).Skip(1))
        {
            var f = line.Split(',');
            data.Add(f[0], int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), f[2], f[3]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SpecTestCases))]
    public void Spec_test_cases_decode_and_supported_ones_compute(string algorithm, int bits, string inputHex, string multihashHex)
    {
        var bytes = Convert.FromHexString(multihashHex);
        var decoded = Multihash.Decode(bytes);
        Assert.Equal(bits / 8, decoded.DigestLength);
        Assert.Equal(multihashHex, Convert.ToHexStringLower(decoded.Bytes));
        if (Supported.TryGetValue(algorithm, out var function))
        {
            // The upstream harness hashes the input column as ASCII text, not as the bytes it spells.
            var input = Encoding.ASCII.GetBytes(inputHex);
            var computed = Multihash.Compute(input, function, bits / 8);
            Assert.Equal(decoded, computed);
            Assert.True(decoded.Matches(input));
            Assert.Equal(decoded.DigestLength < function.DigestLength, decoded.IsTruncated);
        }
    }

    public static TheoryData<string, string, string> RustEncodeVectors()
    {
        var data = new TheoryData<string, string, string>();
        using var doc = JsonDocument.Parse(Fixtures.ReadText("rust-multihash", "multihash-encode-vectors.json"));
        foreach (var v in doc.RootElement.GetProperty("encode").EnumerateArray())
        {
            data.Add(v.GetProperty("name").GetString()!, v.GetProperty("input_ascii").GetString()!, v.GetProperty("multihash_hex").GetString()!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RustEncodeVectors))]
    public void Rust_multihash_vectors_decode_and_supported_ones_compute(string name, string input, string multihashHex)
    {
        var decoded = Multihash.Decode(Convert.FromHexString(multihashHex));
        Assert.Equal(multihashHex, Convert.ToHexStringLower(decoded.Bytes));
        if (Supported.TryGetValue(name, out var function))
        {
            Assert.Equal(decoded, Multihash.Compute(Encoding.ASCII.GetBytes(input), function));
        }
    }

    public static TheoryData<string, string> RustMustFail()
    {
        var data = new TheoryData<string, string>();
        using var doc = JsonDocument.Parse(Fixtures.ReadText("rust-multihash", "multihash-encode-vectors.json"));
        foreach (var v in doc.RootElement.GetProperty("mustFailFromBytes").EnumerateArray())
        {
            data.Add(v.GetProperty("hex").GetString()!, v.GetProperty("why").GetString()!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RustMustFail))]
    public void Rust_multihash_failure_vectors_are_rejected(string hex, string why)
    {
        Assert.NotEmpty(why);
        Assert.ThrowsAny<MalformedDataException>(() => Multihash.Decode(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Identity_multihash_carries_the_data_inline()
    {
        var hash = Multihash.Compute([1, 2, 3], MultihashAlgorithm.Identity);
        Assert.Equal("0003010203", Convert.ToHexStringLower(hash.Bytes));
        Assert.True(hash.Matches([1, 2, 3]));
        Assert.False(hash.Matches([1, 2, 4]));
    }

    [Fact]
    public void Identity_multihash_matches_only_exactly_its_inline_bytes()
    {
        var hash = Multihash.Compute([1, 2, 3], MultihashAlgorithm.Identity);
        Assert.False(hash.Matches([1, 2]));
        Assert.False(hash.Matches([1, 2, 3, 4]));
        Assert.False(hash.Matches([]));
    }

    [Fact]
    public void Declared_digest_length_past_the_limit_is_refused_before_reading()
    {
        // 0x12 (sha2-256), length varint 2^32: must throw the limit, not try to slice 4 GiB.
        var ex = Assert.Throws<LimitExceededException>(() => Multihash.Decode([0x12, 0x80, 0x80, 0x80, 0x80, 0x10, 0x00]));
        Assert.Equal(Multihash.MaxDigestLength, ex.Limit);
    }

    [Fact]
    public void Longer_than_full_digest_is_malformed()
    {
        var bytes = new byte[2 + 33];
        bytes[0] = 0x12;
        bytes[1] = 33;
        Assert.ThrowsAny<MalformedDataException>(() => Multihash.Decode(bytes));
    }

    [Fact]
    public void Equality_is_by_bytes()
    {
        var a = Multihash.Sha2_256("x"u8);
        var b = Multihash.Decode(a.ToArray());
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Multihash.Sha2_256("y"u8));
    }
}
