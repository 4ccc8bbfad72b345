using System.Text.Json;
using Overlay.Manifest.Codecs.DagJson;
using Overlay.Manifest.DagPb;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Tests.Shared;
using DagPbCodec = Overlay.Manifest.DagPb.DagPb;

namespace Overlay.Manifest.Tests.DagPb;

/// <summary>ipld/codec-fixtures: every dag-pb fixture decodes, re-encodes to the same bytes and CID, and matches its DAG-JSON form.</summary>
public sealed class DagPbFixtureTests
{
    public static TheoryData<string> PositiveFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var directory in Directory.GetDirectories(Fixtures.PathOf("ipld-codec-fixtures", "fixtures")).Order(StringComparer.Ordinal))
        {
            if (Directory.GetFiles(directory, "*.dag-pb").Length == 1)
            {
                data.Add(Path.GetFileName(directory));
            }
        }
        return data;
    }

    [Fact]
    public void AllSeventeenDagPbFixturesArePresent() => Assert.Equal(17, PositiveFixtures().Count);

    [Theory]
    [MemberData(nameof(PositiveFixtures))]
    public void RoundTripsBytesAndCid(string fixture)
    {
        var file = Directory.GetFiles(Fixtures.PathOf("ipld-codec-fixtures", "fixtures", fixture), "*.dag-pb").Single();
        var bytes = File.ReadAllBytes(file);
        var node = DagPbCodec.Decode(bytes);
        var encoded = DagPbCodec.Encode(node);
        Assert.Equal(Convert.ToHexStringLower(bytes), Convert.ToHexStringLower(encoded));
        Assert.Equal(bytes.Length, DagPbCodec.EncodedLength(node));
        Assert.Equal(Path.GetFileNameWithoutExtension(file), Cid.Compute(Multicodec.DagPb, encoded).ToString());
    }

    [Theory]
    [MemberData(nameof(PositiveFixtures))]
    public void DataModelFormMatchesDagJsonAndEncodesBack(string fixture)
    {
        var directory = Fixtures.PathOf("ipld-codec-fixtures", "fixtures", fixture);
        var bytes = File.ReadAllBytes(Directory.GetFiles(directory, "*.dag-pb").Single());
        var expected = DagJson.Decode(File.ReadAllText(Directory.GetFiles(directory, "*.dag-json").Single()));
        var form = DagPbDataModel.ToIpld(DagPbCodec.Decode(bytes));
        Assert.Equal(expected, form);
        Assert.Equal(bytes, DagPbCodec.Encode(DagPbDataModel.FromIpld(expected)));
    }

    public static TheoryData<string, string> NegativeDecodeFixtures() => LoadNegative("decode", "hex");

    public static TheoryData<string, string> NegativeEncodeFixtures() => LoadNegative("encode", "dag-json");

    [Theory]
    [MemberData(nameof(NegativeDecodeFixtures))]
    public void RejectsNegativeDecodeFixture(string name, string hex)
    {
        var error = Assert.ThrowsAny<MalformedDataException>(() => DagPbCodec.Decode(Convert.FromHexString(hex)));
        Assert.Equal("dag-pb", error.Format);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Theory]
    [MemberData(nameof(NegativeEncodeFixtures))]
    public void RejectsNegativeEncodeFixture(string name, string json)
    {
        var error = Assert.ThrowsAny<MalformedDataException>(() => DagPbDataModel.FromIpld(DagJson.Decode(json)));
        Assert.StartsWith("dag-pb: Invalid DAG-PB form", error.Message);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void NegativeFixtureCountsAreWhatUpstreamShips()
    {
        Assert.Equal(9, NegativeDecodeFixtures().Count);
        Assert.Equal(11 + 67, NegativeEncodeFixtures().Count);
    }

    private static TheoryData<string, string> LoadNegative(string phase, string property)
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(Fixtures.PathOf("ipld-codec-fixtures", "negative-fixtures", "dag-pb", phase), "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var fixture in document.RootElement.EnumerateArray())
            {
                var value = fixture.GetProperty(property);
                data.Add(Path.GetFileNameWithoutExtension(file) + ": " + fixture.GetProperty("name").GetString(),
                    value.ValueKind == JsonValueKind.String && property == "hex" ? value.GetString()! : value.GetRawText());
            }
        }
        return data;
    }
}
