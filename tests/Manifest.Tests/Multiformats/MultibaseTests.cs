using System.Text;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Multiformats;

public sealed class MultibaseTests
{
    // The encodings of the spec's test CSVs that we implement; the others are skipped by name.
    private static readonly HashSet<string> Implemented =
    [
        "base16", "base16upper", "base32", "base32upper", "base32pad", "base32padupper",
        "base36", "base36upper", "base58btc", "base64", "base64pad", "base64url", "base64urlpad",
    ];

    public static TheoryData<string, string, string, string> SpecVectors()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var file in new[] { "basic.csv", "leading_zero.csv", "two_leading_zeros.csv", "case_insensitivity.csv" })
        {
            string? input = null;
            foreach (var line in File.ReadLines(Fixtures.PathOf("multiformats-multibase", "tests", file)))
            {
                var comma = line.IndexOf(',', StringComparison.Ordinal);
                if (comma < 0)
                {
                    continue;
                }
                var name = line[..comma].Trim();
                var value = Unquote(line[(comma + 1)..].Trim());
                if (name is "encoding" or "non-canonical encoding")
                {
                    input = value;
                }
                else if (Implemented.Contains(name))
                {
                    data.Add(file, name, input!, value);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SpecVectors))]
    public void Spec_vectors_decode_and_canonical_ones_encode(string file, string encoding, string input, string encoded)
    {
        var expected = Encoding.UTF8.GetBytes(input);
        var decoded = Multibase.Decode(encoded, out var parsed);
        Assert.Equal(expected, decoded);
        if (file != "case_insensitivity.csv")
        {
            Assert.Equal(encoded, Multibase.Encode(expected, parsed));
        }
        Assert.NotEmpty(encoding);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x123")]
    [InlineData("zI0")]
    [InlineData("f0")]
    [InlineData("fzz")]
    [InlineData("b1")]
    [InlineData("bab=")]
    [InlineData("m$$")]
    [InlineData("ba")]
    public void Malformed_strings_are_rejected(string text)
    {
        Assert.ThrowsAny<MalformedDataException>(() => Multibase.Decode(text));
    }

    [Fact]
    public void Oversized_base58_input_is_refused_before_the_quadratic_decode()
    {
        var text = "z" + new string('2', 100_000);
        Assert.Throws<LimitExceededException>(() => Multibase.Decode(text));
    }

    [Fact]
    public void Random_bytes_round_trip_in_every_encoding()
    {
        var random = new Random(7);
        foreach (var encoding in Enum.GetValues<MultibaseEncoding>())
        {
            for (var length = 0; length < 70; length++)
            {
                var bytes = new byte[length];
                random.NextBytes(bytes);
                if (length > 2)
                {
                    bytes[0] = 0;
                }
                Assert.Equal(bytes, Multibase.Decode(Multibase.Encode(bytes, encoding)));
            }
        }
    }

    private static string Unquote(string value)
    {
        value = value.Trim('"');
        return value.Replace("\\x00", "\0", StringComparison.Ordinal);
    }
}
