using Overlay.Manifest.Ipns;
using Overlay.Manifest.Keys;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Ipns;

/// <summary>
/// Our keys and records against the real js <c>ipns</c> and <c>@libp2p/crypto</c> packages
/// (tests/js/ipns.mjs): same key protobufs and peer IDs, byte-identical records for the same
/// inputs, and each side accepting what the other creates and rejecting the same bad records.
/// </summary>
public sealed class IpnsJsCrossCheckTests
{
    // RFC 8032 TEST 1 secret key, so both sides derive the same identity.
    private const string SeedHex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private const string Path = "/ipfs/bafkqaddwgevxmmraojswg33smq";

    private static async Task<string[]> Js(params string[] args)
    {
        var (exitCode, stdout, stderr) = await JsPeer.RunAsync("ipns.mjs", args);
        Assert.True(exitCode == 0, $"ipns.mjs {args[0]} exited {exitCode}: {stderr}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static async Task<string> JsValidate(PeerId name, byte[] record) =>
        (await Js("validate", name.ToString(), Convert.ToHexStringLower(record))).Single();

    [Fact]
    public async Task KeysAndPeerIdsMatchJs()
    {
        var lines = await Js("keygen", SeedHex);
        var key = Ed25519PrivateKey.FromSeed(Convert.FromHexString(SeedHex));
        Assert.Equal(lines[0], Convert.ToHexStringLower(key.ToProtobuf()));
        Assert.Equal(lines[1], Convert.ToHexStringLower(key.PublicKey.ToProtobuf()));
        Assert.Equal(lines[2], key.PeerId.ToString());
        Assert.Equal(key.PublicKey, Ed25519PrivateKey.FromProtobuf(Convert.FromHexString(lines[0])).PublicKey);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task JsRecordsValidateHereAndMatchOursByteForByte(bool v2Only)
    {
        var key = Ed25519PrivateKey.FromSeed(Convert.FromHexString(SeedHex));
        var args = new List<string> { "create", Convert.ToHexStringLower(key.ToProtobuf()), Path, "5", "300000000000", "2123-01-01T00:00:00Z" };
        if (v2Only)
        {
            args.Add("--v2-only");
        }
        var theirs = Convert.FromHexString((await Js([.. args])).Single());

        var record = IpnsRecord.Validate(theirs, key.PeerId, DateTimeOffset.UtcNow);
        Assert.Equal(Path, record.Value);
        Assert.Equal(5UL, record.Sequence);
        Assert.Equal(TimeSpan.FromMinutes(5), record.Ttl);
        Assert.Equal(new DateTimeOffset(2123, 1, 1, 0, 0, 0, TimeSpan.Zero), record.Validity);
        Assert.Equal("2123-01-01T00:00:00.000000000Z", record.ValidityText);
        Assert.Equal(!v2Only, record.HasSignatureV1);

        // Ed25519 is deterministic, so the same inputs must give the same bytes.
        var ours = IpnsRecord.Create(key, Path, 5, new DateTimeOffset(2123, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(5), v1Compatible: !v2Only);
        Assert.Equal(Convert.ToHexStringLower(theirs), Convert.ToHexStringLower(ours.Bytes));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OurRecordsValidateInJs(bool v1Compatible)
    {
        var key = Ed25519PrivateKey.Generate();
        var record = IpnsRecord.Create(key, Path, 42, DateTimeOffset.UtcNow.AddHours(1).AddTicks(1234567), TimeSpan.FromSeconds(30), v1Compatible);
        Assert.Equal("OK", await JsValidate(key.PeerId, record.ToArray()));
    }

    [Fact]
    public async Task BothSidesRejectTheSameBadRecords()
    {
        var key = Ed25519PrivateKey.Generate();

        var expired = IpnsRecord.Create(key, Path, 1, DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.Zero).ToArray();
        Assert.StartsWith("ERR", await JsValidate(key.PeerId, expired), StringComparison.Ordinal);
        Assert.Equal(IpnsValidationFailure.Expired,
            Assert.Throws<IpnsValidationException>(() => IpnsRecord.Validate(expired, key.PeerId, DateTimeOffset.UtcNow)).Reason);

        var good = IpnsRecord.Create(key, Path, 1, DateTimeOffset.UtcNow.AddHours(1), TimeSpan.Zero).ToArray();
        var otherName = Ed25519PrivateKey.Generate().PeerId;
        Assert.StartsWith("ERR", await JsValidate(otherName, good), StringComparison.Ordinal);
        Assert.Throws<IpnsValidationException>(() => IpnsRecord.Validate(good, otherName, DateTimeOffset.UtcNow));
    }

    public static TheoryData<string> ConformanceRecords() =>
        [.. Directory.GetFiles(Fixtures.PathOf("ipfs-gateway-conformance", "fixtures", "ipns_records"), "*.ipns-record").Select(f => System.IO.Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(ConformanceRecords))]
    public async Task JsAndWeAgreeOnTheConformanceRecords(string file)
    {
        var bytes = Fixtures.ReadBytes("ipfs-gateway-conformance", "fixtures", "ipns_records", file);
        var name = PeerId.Parse(file[..file.IndexOf('_')]);
        var js = await JsValidate(name, bytes);
        bool ours;
        try
        {
            IpnsRecord.Validate(bytes, name, DateTimeOffset.UtcNow);
            ours = true;
        }
        catch (IpnsValidationException)
        {
            ours = false;
        }
        Assert.True(ours == (js == "OK"), $"{file}: ours {(ours ? "valid" : "invalid")}, js '{js}'");
    }
}
