using System.Text;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Ipns;
using Overlay.Manifest.Keys;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Ipns;

public sealed class IpnsRecordTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const string Path = "/ipfs/bafkqaddwgevxmmraojswg33smq";

    private static IpnsRecord Create(Ed25519PrivateKey key, ulong sequence = 1, double hours = 24, bool v1 = true) =>
        IpnsRecord.Create(key, Path, sequence, Now.AddHours(hours), TimeSpan.FromMinutes(5), v1);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CreatedRecordValidatesForItsName(bool v1Compatible)
    {
        var key = Ed25519PrivateKey.Generate();
        var record = Create(key, sequence: 7, v1: v1Compatible);
        var validated = IpnsRecord.Validate(record.Bytes, key.PeerId, Now);
        Assert.Equal(Path, validated.Value);
        Assert.Equal(7UL, validated.Sequence);
        Assert.Equal(Now.AddHours(24), validated.Validity);
        Assert.Equal(record.ValidityText, validated.ValidityText);
        Assert.EndsWith(".000000000Z", validated.ValidityText, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(5), validated.Ttl);
        Assert.Equal(300_000_000_000UL, validated.TtlNanoseconds);
        Assert.Equal(key.PublicKey, validated.PublicKey);
        Assert.Equal(v1Compatible, validated.HasSignatureV1);
        Assert.Equal(record.ToArray(), validated.ToArray());

        var entry = IpnsEntry.Decode(record.Bytes);
        Assert.Null(entry.PubKey); // Ed25519 keys are inlined in the name.
        Assert.Equal(v1Compatible, entry.Value is not null && entry.SignatureV1 is not null && entry.Validity is not null
            && entry.ValidityType == 0 && entry.Sequence == 7 && entry.Ttl == 300_000_000_000);
        if (v1Compatible)
        {
            Assert.True(key.PublicKey.Verify(IpnsRecord.V1SigningBytes(entry.Value!, entry.Validity!, 0), entry.SignatureV1!));
        }
    }

    [Fact]
    public void DataIsTheCanonicalDagCborMapInSpecOrder()
    {
        var record = Create(Ed25519PrivateKey.Generate());
        var map = DagCbor.Decode(record.Data).AsMap();
        Assert.Equal(["TTL", "Value", "Sequence", "Validity", "ValidityType"], map.Entries.Select(e => e.Key));
        Assert.Equal(record.Data.ToArray(), DagCbor.Encode(map));
        Assert.Equal(Encoding.UTF8.GetBytes(Path), map["Value"].AsBytes().ToArray());
    }

    [Fact]
    public void WrongNamesAreRejected()
    {
        var key = Ed25519PrivateKey.Generate();
        var record = Create(key);

        var other = Assert.Throws<IpnsValidationException>(() => IpnsRecord.Validate(record.Bytes, Ed25519PrivateKey.Generate().PeerId, Now));
        Assert.Equal(IpnsValidationFailure.BadSignature, other.Reason);

        var hashed = PeerId.FromPublicKey(PublicKey.FromProtobuf(Fixtures.ReadBytes("go-libp2p", "core", "crypto", "test_data", "0.pub")));
        var notFound = Assert.Throws<IpnsValidationException>(() => IpnsRecord.Validate(record.Bytes, hashed, Now));
        Assert.Equal(IpnsValidationFailure.PublicKeyNotFound, notFound.Reason);
    }

    [Fact]
    public void EmbeddedPublicKeyMustDeriveTheName()
    {
        var key = Ed25519PrivateKey.Generate();
        var data = Data(Path, Now.AddHours(1));
        var signature = key.Sign(IpnsRecord.V2SigningBytes(data));

        var matching = new IpnsEntry { PubKey = key.PublicKey.ToProtobuf(), SignatureV2 = signature, Data = data }.Encode();
        Assert.Equal(key.PublicKey, IpnsRecord.Validate(matching, key.PeerId, Now).PublicKey);

        var otherKey = Ed25519PrivateKey.Generate().PublicKey.ToProtobuf();
        var mismatched = new IpnsEntry { PubKey = otherKey, SignatureV2 = signature, Data = data }.Encode();
        var e = Assert.Throws<IpnsValidationException>(() => IpnsRecord.Validate(mismatched, key.PeerId, Now));
        Assert.Equal(IpnsValidationFailure.PublicKeyMismatch, e.Reason);

        var garbageKey = new IpnsEntry { PubKey = [1, 2, 3], SignatureV2 = signature, Data = data }.Encode();
        Assert.Throws<MalformedDataException>(() => IpnsRecord.Validate(garbageKey, key.PeerId, Now));
    }

    [Fact]
    public void RsaNamesWithEmbeddedKeysAreRecognisedButCannotBeVerified()
    {
        var rsaPub = Fixtures.ReadBytes("go-libp2p", "core", "crypto", "test_data", "0.pub");
        var name = PeerId.FromPublicKey(PublicKey.FromProtobuf(rsaPub));
        var bytes = new IpnsEntry { PubKey = rsaPub, SignatureV2 = new byte[256], Data = Data(Path, Now.AddHours(1)) }.Encode();
        var e = Assert.Throws<IpnsValidationException>(() => IpnsRecord.Validate(bytes, name, Now));
        Assert.Equal(IpnsValidationFailure.UnsupportedKeyType, e.Reason);
    }

    [Theory]
    [InlineData("Value")]
    [InlineData("Validity")]
    [InlineData("ValidityType")]
    [InlineData("Sequence")]
    [InlineData("TTL")]
    public void EachLegacyCopyMustMatchTheSignedData(string field)
    {
        var key = Ed25519PrivateKey.Generate();
        var data = Data(Path, Now.AddHours(1), sequence: 3, ttl: 10);
        var entry = new IpnsEntry
        {
            Value = Encoding.UTF8.GetBytes(field == "Value" ? Path + "x" : Path),
            SignatureV1 = new byte[64],
            ValidityType = field == "ValidityType" ? 1UL : 0UL,
            Validity = Encoding.ASCII.GetBytes(Rfc3339NanoTime.FromDateTimeOffset(Now.AddHours(field == "Validity" ? 2 : 1)).Format()),
            Sequence = field == "Sequence" ? 4UL : 3UL,
            Ttl = field == "TTL" ? 11UL : 10UL,
            SignatureV2 = key.Sign(IpnsRecord.V2SigningBytes(data)),
            Data = data,
        };
        var e = Assert.Throws<IpnsValidationException>(() => IpnsRecord.Validate(entry.Encode(), key.PeerId, Now));
        Assert.Equal(IpnsValidationFailure.FieldMismatch, e.Reason);
        Assert.Contains(field, e.Message);
    }

    [Fact]
    public void AbsentLegacyCopiesCountAsZeroWhenValueIsPresent()
    {
        // go compares with its getters, so a V1 value alone against a non-zero Sequence is a mismatch.
        var key = Ed25519PrivateKey.Generate();
        var data = Data(Path, Now.AddHours(1), sequence: 3);
        var signature = key.Sign(IpnsRecord.V2SigningBytes(data));
        var entry = new IpnsEntry { Value = Encoding.UTF8.GetBytes(Path), SignatureV2 = signature, Data = data };
        var e = Assert.Throws<IpnsValidationException>(() => IpnsRecord.Validate(entry.Encode(), key.PeerId, Now));
        Assert.Equal(IpnsValidationFailure.FieldMismatch, e.Reason);
    }

    [Fact]
    public void UnknownDataKeysAreIgnoredAndStaySigned()
    {
        var key = Ed25519PrivateKey.Generate();
        var data = Data(Path, Now.AddHours(1), extra: ("_overlay", new IpldMap([new("stream", "x")])));
        var bytes = new IpnsEntry { SignatureV2 = key.Sign(IpnsRecord.V2SigningBytes(data)), Data = data }.Encode();
        Assert.Equal(Path, IpnsRecord.Validate(bytes, key.PeerId, Now).Value);
    }

    [Fact]
    public void OtherValidityTypesAreRejected()
    {
        var key = Ed25519PrivateKey.Generate();
        var data = Data(Path, Now.AddHours(1), validityType: 1);
        var bytes = new IpnsEntry { SignatureV2 = key.Sign(IpnsRecord.V2SigningBytes(data)), Data = data }.Encode();
        var e = Assert.Throws<IpnsValidationException>(() => IpnsRecord.Validate(bytes, key.PeerId, Now));
        Assert.Equal(IpnsValidationFailure.UnsupportedValidityType, e.Reason);
    }

    [Fact]
    public void ExpiryIsCheckedToTheNanosecond()
    {
        var key = Ed25519PrivateKey.Generate();
        byte[] Signed(string validity)
        {
            var data = DagCbor.Encode(IpldMap.Of(("Value", Encoding.UTF8.GetBytes(Path)), ("Validity", Encoding.ASCII.GetBytes(validity)),
                ("ValidityType", 0), ("Sequence", 0), ("TTL", 0)));
            return new IpnsEntry { SignatureV2 = key.Sign(IpnsRecord.V2SigningBytes(data)), Data = data }.Encode();
        }
        Assert.NotNull(IpnsRecord.Validate(Signed("2030-01-01T00:00:00.000000001Z"), key.PeerId, Now));
        Assert.NotNull(IpnsRecord.Validate(Signed("2030-01-01T01:00:00.5+01:00"), key.PeerId, Now));
        var e = Assert.Throws<IpnsValidationException>(() => IpnsRecord.Validate(Signed("2030-01-01T00:00:00Z"), key.PeerId, Now));
        Assert.Equal(IpnsValidationFailure.Expired, e.Reason);
        Assert.Throws<MalformedDataException>(() => IpnsRecord.Validate(Signed("next tuesday"), key.PeerId, Now));
    }

    [Fact]
    public void V2FieldsAreRequired()
    {
        var key = Ed25519PrivateKey.Generate();
        var data = Data(Path, Now.AddHours(1));
        var signature = key.Sign(IpnsRecord.V2SigningBytes(data));
        foreach (var entry in new[]
        {
            new IpnsEntry { Data = data },
            new IpnsEntry { SignatureV2 = signature },
            new IpnsEntry { SignatureV2 = [], Data = data },
            new IpnsEntry { SignatureV2 = signature, Data = [] },
        })
        {
            var e = Assert.Throws<IpnsValidationException>(() => IpnsRecord.Validate(entry.Encode(), key.PeerId, Now));
            Assert.Equal(IpnsValidationFailure.NotV2, e.Reason);
        }
    }

    [Fact]
    public void DataWithMissingOrMistypedFieldsIsMalformed()
    {
        var key = Ed25519PrivateKey.Generate();
        foreach (var data in new[]
        {
            DagCbor.Encode(IpldMap.Of(("Value", Encoding.UTF8.GetBytes(Path)), ("Validity", Encoding.ASCII.GetBytes("2031-01-01T00:00:00Z")), ("ValidityType", 0), ("Sequence", 0))),
            DagCbor.Encode(IpldMap.Of(("Value", Path), ("Validity", Encoding.ASCII.GetBytes("2031-01-01T00:00:00Z")), ("ValidityType", 0), ("Sequence", 0), ("TTL", 0))),
            DagCbor.Encode(IpldMap.Of(("Value", Encoding.UTF8.GetBytes(Path)), ("Validity", Encoding.ASCII.GetBytes("2031-01-01T00:00:00Z")), ("ValidityType", 0), ("Sequence", -1), ("TTL", 0))),
            DagCbor.Encode(new IpldList([1, 2])),
            [0xa1, 0x61], // truncated CBOR
        })
        {
            var bytes = new IpnsEntry { SignatureV2 = key.Sign(IpnsRecord.V2SigningBytes(data)), Data = data }.Encode();
            var e = Assert.Throws<MalformedDataException>(() => IpnsRecord.Validate(bytes, key.PeerId, Now));
            Assert.Equal("ipns", e.Format);
        }
    }

    [Fact]
    public void SizeIsCappedBeforeParsing()
    {
        var name = Ed25519PrivateKey.Generate().PeerId;
        var e = Assert.Throws<LimitExceededException>(() => IpnsRecord.Validate(new byte[IpnsRecord.MaxSize + 1], name, Now));
        Assert.Equal(IpnsRecord.MaxSize, e.Limit);
        // At the limit the bytes are parsed (and these are not a record).
        Assert.IsNotType<LimitExceededException>(Assert.ThrowsAny<MalformedDataException>(() => IpnsRecord.Validate(new byte[IpnsRecord.MaxSize], name, Now)));
        Assert.Throws<ArgumentException>(() => IpnsRecord.Create(Ed25519PrivateKey.Generate(), new string('a', IpnsRecord.MaxSize), 0, Now, TimeSpan.Zero));
    }

    [Fact]
    public void DuplicateFieldsAndWrongWireTypesAreMalformed()
    {
        var key = Ed25519PrivateKey.Generate();
        var good = Create(key, v1: false).ToArray();
        byte[] duplicated = [.. good, 0x28, 0x01, 0x28, 0x02];
        Assert.Throws<MalformedDataException>(() => IpnsRecord.Validate(duplicated, key.PeerId, Now));
        byte[] wrongWire = [0x2a, 0x01, 0x00, .. good]; // sequence (5) as length-delimited
        Assert.Throws<MalformedDataException>(() => IpnsRecord.Validate(wrongWire, key.PeerId, Now));
        byte[] unknownField = [.. good, 0x52, 0x01, 0x00]; // field 10: skipped for forward compatibility
        Assert.NotNull(IpnsRecord.Validate(unknownField, key.PeerId, Now));
    }

    [Fact]
    public void EveryCorruptionIsAMalformedOrVerificationError()
    {
        var key = Ed25519PrivateKey.Generate();
        var good = Create(key).ToArray();
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = (byte[])good.Clone();
            var flips = 1 + random.Next(3);
            for (var f = 0; f < flips; f++)
            {
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
            }
            var cut = random.Next(4) == 0 ? bytes[..random.Next(bytes.Length)] : bytes;
            try
            {
                IpnsRecord.Validate(cut, key.PeerId, Now);
            }
            catch (Exception e)
            {
                Assert.IsAssignableFrom<OverlayException>(e);
            }
        }
    }

    [Fact]
    public void SelectBestPrefersSequenceThenValidity()
    {
        var key = Ed25519PrivateKey.Generate();
        var seq1Long = Create(key, sequence: 1, hours: 48);
        var seq2Short = Create(key, sequence: 2, hours: 1);
        var seq2Long = Create(key, sequence: 2, hours: 2);
        var seq2LongAgain = Create(key, sequence: 2, hours: 2);

        Assert.Same(seq2Short, IpnsRecord.SelectBest([seq1Long, seq2Short]));
        Assert.Same(seq2Long, IpnsRecord.SelectBest([seq1Long, seq2Short, seq2Long]));
        Assert.Same(seq2Long, IpnsRecord.SelectBest([seq2Long, seq2LongAgain]));
        Assert.Same(seq2LongAgain, IpnsRecord.SelectBest([seq2LongAgain, seq2Long]));
        Assert.Null(IpnsRecord.SelectBest([]));
        Assert.True(seq2Short.IsBetterThan(seq1Long));
        Assert.False(seq1Long.IsBetterThan(seq2Short));
    }

    private static byte[] Data(string value, DateTimeOffset validity, ulong sequence = 0, ulong ttl = 0, ulong validityType = 0, (string Key, IpldNode Value)? extra = null)
    {
        var entries = new List<(string, IpldNode)>
        {
            ("Value", Encoding.UTF8.GetBytes(value)),
            ("Validity", Encoding.ASCII.GetBytes(Rfc3339NanoTime.FromDateTimeOffset(validity).Format())),
            ("ValidityType", validityType),
            ("Sequence", sequence),
            ("TTL", ttl),
        };
        if (extra is { } e)
        {
            entries.Add(e);
        }
        return DagCbor.Encode(IpldMap.Of([.. entries]));
    }
}
