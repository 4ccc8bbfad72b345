using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.Keys;

/// <summary>libp2p key protobufs: the peer-ids spec test vectors and the deterministic-encoding rules.</summary>
public sealed class KeyProtobufTests
{
    private static Dictionary<string, byte[]> SpecVectors()
    {
        var lines = File.ReadAllLines(Fixtures.PathOf("libp2p-specs", "peer-ids", "test-vectors-extracted.csv"));
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .ToDictionary(p => p[0], p => Convert.FromHexString(p[1]));
    }

    [Fact]
    public void SpecHasEightVectors() => Assert.Equal(8, SpecVectors().Count);

    [Fact]
    public void Ed25519PrivateKeyVectorProducesItsPublicKeyVector()
    {
        var vectors = SpecVectors();
        var key = Ed25519PrivateKey.FromProtobuf(vectors["ED25519_private_key"]);
        Assert.Equal(vectors["ED25519_public_key"], key.PublicKey.ToProtobuf());
        Assert.Equal(vectors["ED25519_private_key"], key.ToProtobuf());
        Assert.Equal(key.PublicKey, PublicKey.FromProtobuf(vectors["ED25519_public_key"]));
    }

    [Theory]
    [InlineData("ED25519_public_key", KeyType.Ed25519, true, "12D3KooW")]
    [InlineData("secp256k1_public_key", KeyType.Secp256k1, true, "16Uiu2")]
    [InlineData("ECDSA_public_key", KeyType.Ecdsa, false, "Qm")]
    [InlineData("rsa_public_key", KeyType.Rsa, false, "Qm")]
    public void PublicKeyVectorsRoundTripAndGiveTheRightPeerIdKind(string name, KeyType type, bool inline, string prefix)
    {
        var bytes = SpecVectors()[name];
        var key = PublicKey.FromProtobuf(bytes);
        Assert.Equal(type, key.Type);
        Assert.Equal(bytes, key.ToProtobuf());
        Assert.Equal(type == KeyType.Ed25519, key.CanVerify);

        var peerId = key.ToPeerId();
        Assert.Equal(inline ? Multicodec.Identity : Multicodec.Sha2_256, peerId.Multihash.Code);
        Assert.StartsWith(prefix, peerId.ToString(), StringComparison.Ordinal);
        Assert.True(peerId.Matches(key));
        Assert.Equal(inline, peerId.TryExtractPublicKey(out var extracted));
        if (inline)
        {
            Assert.Equal(key, extracted);
        }
        Assert.Equal(peerId, PeerId.Parse(peerId.ToString()));
        Assert.Equal(peerId, PeerId.Parse(peerId.ToBase36Name()));
        Assert.Equal(peerId, PeerId.Parse(peerId.ToString(MultibaseEncoding.Base32)));
    }

    [Theory]
    [InlineData("secp256k1_private_key")]
    [InlineData("ECDSA_private_key")]
    [InlineData("rsa_private_key")]
    public void PrivateKeysOfOtherTypesAreRejected(string name)
    {
        var e = Assert.Throws<MalformedDataException>(() => Ed25519PrivateKey.FromProtobuf(SpecVectors()[name]));
        Assert.Contains("not supported", e.Message);
    }

    [Fact]
    public void OpaqueKeysRefuseToVerify()
    {
        var key = PublicKey.FromProtobuf(SpecVectors()["secp256k1_public_key"]);
        Assert.IsType<OpaquePublicKey>(key);
        Assert.Throws<VerificationException>(() => key.Verify("m"u8, new byte[64]));
    }

    public static TheoryData<string, string> NonCanonicalPublicKeys()
    {
        const string key = "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
        return new TheoryData<string, string>
        {
            { "canonical control is accepted below", "08011220" + key },
            { "fields out of order", "1220" + key + "0801" },
            { "type missing", "1220" + key },
            { "data missing", "0801" },
            { "extra field", "08011220" + key + "1800" },
            { "type repeated", "080108011220" + key },
            { "type varint not minimal", "08810012" + "20" + key },
            { "length varint not minimal", "080112a000" + key },
            { "tag varint not minimal", "880001" + "1220" + key },
            { "unknown key type 4", "08041220" + key },
            { "data as varint", "08011001" },
            { "truncated data", "08011220" + key[..62] },
            { "Ed25519 key of 31 bytes", "0801121f" + key[..62] },
            { "Ed25519 key of 33 bytes", "08011221" + key + "00" },
            { "empty", "" },
        };
    }

    [Theory]
    [MemberData(nameof(NonCanonicalPublicKeys))]
    public void NonCanonicalOrInvalidPublicKeysAreRejected(string what, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        if (what.StartsWith("canonical", StringComparison.Ordinal))
        {
            Assert.Equal(bytes, PublicKey.FromProtobuf(bytes).ToProtobuf());
            return;
        }
        Assert.Throws<MalformedDataException>(() => PublicKey.FromProtobuf(bytes));
    }

    [Fact]
    public void PrivateKeyDataLengthsAndPublicCopiesAreChecked()
    {
        var key = Ed25519PrivateKey.Generate();
        var seed = key.ExportSeed();
        var pub = key.PublicKey.ToArray();
        byte[] Wrap(byte[] data) => [0x08, 0x01, 0x12, (byte)data.Length, .. data];

        Assert.Equal(key.PublicKey, Ed25519PrivateKey.FromProtobuf(Wrap([.. seed, .. pub])).PublicKey);
        Assert.Equal(key.PublicKey, Ed25519PrivateKey.FromProtobuf(Wrap([.. seed, .. pub, .. pub])).PublicKey);
        Assert.Throws<MalformedDataException>(() => Ed25519PrivateKey.FromProtobuf(Wrap(seed)));
        Assert.Throws<MalformedDataException>(() => Ed25519PrivateKey.FromProtobuf(Wrap([.. seed, .. pub, 0])));
        var otherPub = Ed25519PrivateKey.Generate().PublicKey.ToArray();
        Assert.Throws<MalformedDataException>(() => Ed25519PrivateKey.FromProtobuf(Wrap([.. seed, .. otherPub])));
        Assert.Throws<MalformedDataException>(() => Ed25519PrivateKey.FromProtobuf(Wrap([.. seed, .. pub, .. otherPub])));
    }

    [Fact]
    public void OversizedKeyDataIsRejectedBeforeAllocation()
    {
        // Type RSA, Data declared as 2^31 bytes with nothing behind it.
        var bytes = new byte[] { 0x08, 0x00, 0x12, 0x80, 0x80, 0x80, 0x80, 0x08 };
        Assert.Throws<LimitExceededException>(() => PublicKey.FromProtobuf(bytes));
    }
}
