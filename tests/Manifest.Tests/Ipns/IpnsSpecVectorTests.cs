using System.Text.RegularExpressions;
using Overlay.Manifest.Ipns;
using Overlay.Manifest.Keys;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Ipns;

/// <summary>
/// The six records of ipfs/gateway-conformance fixtures/ipns_records, with the outcomes the IPNS
/// spec's "Test Vectors" section states (read from the spec text itself).
/// </summary>
public sealed partial class IpnsSpecVectorTests
{
    // The records were made in 2023 and expire on 2123-08-14.
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, bool, string?> SpecOutcomes()
    {
        var data = new TheoryData<string, bool, string?>();
        foreach (var line in File.ReadAllLines(Fixtures.PathOf("ipfs-specs", "src", "ipns", "ipns-record.md")))
        {
            var match = SpecLine().Match(line);
            if (match.Success)
            {
                data.Add(match.Groups["file"].Value, match.Groups["outcome"].Value == "valid", match.Groups["value"].Success ? match.Groups["value"].Value : null);
            }
        }
        return data;
    }

    [GeneratedRegex(@"^\d+\. \[[^\]]+\]\([^)]*/(?<file>k51[a-z0-9]+_[a-z0-9-]+\.ipns-record)\).*→ record (?<outcome>valid|invalid)(, value points at `(?<value>[^`]+)`)?")]
    private static partial Regex SpecLine();

    private static readonly Dictionary<string, IpnsValidationFailure> ExpectedFailure = new()
    {
        ["v1"] = IpnsValidationFailure.NotV2,
        ["v1-v2-broken-v1-value"] = IpnsValidationFailure.FieldMismatch,
        ["v1-v2-broken-signature-v2"] = IpnsValidationFailure.BadSignature,
    };

    private static string Kind(string file) => file[(file.IndexOf('_') + 1)..^".ipns-record".Length];

    private static PeerId NameOf(string file) => PeerId.Parse(file[..file.IndexOf('_')]);

    private static byte[] Read(string file) => Fixtures.ReadBytes("ipfs-gateway-conformance", "fixtures", "ipns_records", file);

    [Fact]
    public void SpecListsSixVectorsThreeValid()
    {
        var outcomes = SpecOutcomes().ToList();
        Assert.Equal(6, outcomes.Count);
        Assert.Equal(3, outcomes.Count(o => (bool)o[1]));
    }

    [Theory]
    [MemberData(nameof(SpecOutcomes))]
    public void RecordHasTheSpecifiedOutcome(string file, bool valid, string? value)
    {
        var bytes = Read(file);
        var name = NameOf(file);
        if (valid)
        {
            var record = IpnsRecord.Validate(bytes, name, Now);
            if (value is not null)
            {
                Assert.Equal(value, record.Value);
            }
            Assert.Equal("2123-08-14T12:17:03.694052Z", record.ValidityText);
            Assert.Equal(new DateTimeOffset(2123, 8, 14, 12, 17, 3, TimeSpan.Zero).AddTicks(6_940_520), record.Validity);
            Assert.Equal(0UL, record.Sequence);
            Assert.Equal(TimeSpan.FromMinutes(30), record.Ttl);
            Assert.True(name.Matches(record.PublicKey));
            Assert.Equal(bytes, record.ToArray());
        }
        else
        {
            var e = Assert.Throws<IpnsValidationException>(() => IpnsRecord.Validate(bytes, name, Now));
            Assert.Equal(ExpectedFailure[Kind(file)], e.Reason);
        }
    }

    [Theory]
    [MemberData(nameof(SpecOutcomes))]
    public void ReadmeNamesTheValueTheRecordWasSignedFor(string file, bool valid, string? specValue)
    {
        var readme = Fixtures.ReadText("ipfs-gateway-conformance", "fixtures", "ipns_records", "README.md");
        var match = Regex.Match(readme, Regex.Escape(file) + @" -> (\S+)");
        Assert.True(match.Success, file);
        // The generator (upstream fixtures/ipns_records/generator) signs a record for that value
        // and only then breaks the protobuf; so the README value is the signed one: data[Value],
        // or the V1 value for the V1-only record.
        var entry = IpnsEntry.Decode(Read(file));
        var signedValue = entry.Data is null ? entry.Value! : IpnsData.Decode(entry.Data).Value;
        Assert.Equal(match.Groups[1].Value, System.Text.Encoding.UTF8.GetString(signedValue));
        if (valid && specValue is not null)
        {
            Assert.Equal(specValue, match.Groups[1].Value);
        }
    }

    [Theory]
    [InlineData("v1", true)]
    [InlineData("v1-v2", true)]
    [InlineData("v1-v2-broken-v1-value", true)]
    [InlineData("v1-v2-broken-signature-v2", true)]
    [InlineData("v1-v2-broken-signature-v1", false)]
    public void LegacySignatureV1IsValueValidityAndEol(string kind, bool v1Valid)
    {
        // The spec says which V1 signatures are valid; checking them proves our V1 signed bytes
        // (value || validity || "EOL") are the ones go writes.
        var file = SpecOutcomes().Select(o => (string)o[0]).Single(f => Kind(f) == kind);
        var entry = IpnsEntry.Decode(Read(file));
        Assert.True(NameOf(file).TryExtractPublicKey(out var key));
        // For "broken-v1-value" the generator swapped the protobuf value after signing, so its V1
        // signature covers the original value, which data[Value] still holds.
        var value = entry.Data is null ? entry.Value! : IpnsData.Decode(entry.Data).Value;
        var signed = IpnsRecord.V1SigningBytes(value, entry.Validity!, entry.ValidityType!.Value);
        Assert.Equal(v1Valid, key!.Verify(signed, entry.SignatureV1!));
        if (kind == "v1-v2-broken-v1-value")
        {
            Assert.False(key.Verify(IpnsRecord.V1SigningBytes(entry.Value!, entry.Validity!, 0), entry.SignatureV1!));
        }
    }

    [Fact]
    public void ValidRecordsExpireAtTheirEol()
    {
        var file = SpecOutcomes().Select(o => (string)o[0]).Single(f => Kind(f) == "v2");
        var eol = new DateTimeOffset(2123, 8, 14, 12, 17, 3, TimeSpan.Zero).AddTicks(6_940_520);
        Assert.NotNull(IpnsRecord.Validate(Read(file), NameOf(file), eol.AddTicks(-1)));
        var e = Assert.Throws<IpnsValidationException>(() => IpnsRecord.Validate(Read(file), NameOf(file), eol));
        Assert.Equal(IpnsValidationFailure.Expired, e.Reason);
    }

    [Fact]
    public void ARecordDoesNotValidateForAnotherName()
    {
        var outcomes = SpecOutcomes().Select(o => (string)o[0]).ToList();
        var v2 = outcomes.Single(f => Kind(f) == "v2");
        var other = NameOf(outcomes.Single(f => Kind(f) == "v1-v2"));
        var e = Assert.Throws<IpnsValidationException>(() => IpnsRecord.Validate(Read(v2), other, Now));
        Assert.Equal(IpnsValidationFailure.BadSignature, e.Reason);
    }
}
