using System.Text.Json;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Codecs.DagJson;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Codecs;

/// <summary>ipld/codec-fixtures: every block's file name is the CIDv1 of its bytes.</summary>
public sealed class IpldCodecFixtureTests
{
    private const string Folder = "ipld-codec-fixtures";

    public static TheoryData<string> FixtureNames()
    {
        var names = Directory.GetDirectories(Fixtures.PathOf(Folder, "fixtures")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        return new TheoryData<string>(names!);
    }

    public static TheoryData<string, string> NegativeDagCborCases() => NegativeCases("dag-cbor");

    public static TheoryData<string, string> NegativeDagJsonCases() => NegativeCases("dag-json");

    internal static TheoryData<string, string> NegativeCases(string codec)
    {
        var data = new TheoryData<string, string>();
        var folder = Fixtures.PathOf(Folder, "negative-fixtures", codec, "decode");
        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var item in json.RootElement.EnumerateArray())
            {
                data.Add(item.GetProperty("name").GetString()!, item.GetProperty("hex").GetString()!);
            }
        }
        return data;
    }

    internal static string FileOf(string fixture, string codec) =>
        Directory.GetFiles(Fixtures.PathOf(Folder, "fixtures", fixture), "*." + codec).Single();

    [Fact]
    public void All_fixture_folders_are_present()
    {
        Assert.Equal(128, FixtureNames().Count);
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void DagCbor_block_decodes_reencodes_identically_and_hashes_to_its_name(string fixture)
    {
        var file = FileOf(fixture, "dag-cbor");
        var bytes = File.ReadAllBytes(file);
        var expected = Cid.Parse(Path.GetFileNameWithoutExtension(file));

        var node = DagCbor.Decode(bytes);
        var reencoded = DagCbor.Encode(node);

        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(reencoded));
        Assert.Equal(expected, DagCbor.ComputeCid(node));
        Assert.Equal(Multicodec.DagCbor, expected.Codec);
    }

    [Theory]
    [MemberData(nameof(NegativeDagCborCases))]
    public void DagCbor_negative_fixture_is_rejected(string name, string hex)
    {
        var ex = Assert.ThrowsAny<MalformedDataException>(() => DagCbor.Decode(Convert.FromHexString(hex)));
        Assert.True(ex.Format == "dag-cbor", name);
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void DagJson_block_decodes_reencodes_identically_and_hashes_to_its_name(string fixture)
    {
        var file = FileOf(fixture, "dag-json");
        var bytes = File.ReadAllBytes(file);
        var expected = Cid.Parse(Path.GetFileNameWithoutExtension(file));

        var node = DagJson.Decode(bytes);

        Assert.Equal(System.Text.Encoding.UTF8.GetString(bytes), DagJson.Encode(node));
        Assert.Equal(expected, DagJson.ComputeCid(node));
        Assert.Equal(Multicodec.DagJson, expected.Codec);
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Both_forms_hold_the_same_data_model(string fixture)
    {
        var cbor = File.ReadAllBytes(FileOf(fixture, "dag-cbor"));
        var json = File.ReadAllBytes(FileOf(fixture, "dag-json"));

        var fromCbor = DagCbor.Decode(cbor);
        var fromJson = DagJson.Decode(json);

        Assert.Equal(fromCbor, fromJson);
        Assert.Equal(Convert.ToHexString(cbor), Convert.ToHexString(DagCbor.Encode(fromJson)));
        Assert.Equal(Convert.ToHexString(json), Convert.ToHexString(DagJson.EncodeUtf8(fromCbor)));
    }

    [Theory]
    [MemberData(nameof(NegativeDagJsonCases))]
    public void DagJson_negative_fixture_is_rejected(string name, string hex)
    {
        var ex = Assert.ThrowsAny<MalformedDataException>(() => DagJson.Decode(Convert.FromHexString(hex)));
        Assert.True(ex.Format == "dag-json", name);
    }
}
