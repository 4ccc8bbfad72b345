using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Tests.Keys;

public sealed class PeerIdTests
{
    [Fact]
    public void Ed25519PeerIdIsTheIdentityMultihashOfTheKeyProtobuf()
    {
        var key = Ed25519PrivateKey.Generate();
        var peerId = key.PeerId;
        Assert.Equal(Multicodec.Identity, peerId.Multihash.Code);
        Assert.Equal(key.PublicKey.ToProtobuf(), peerId.Multihash.Digest.ToArray());
        Assert.Equal(38, peerId.Bytes.Length);
        Assert.StartsWith("12D3KooW", peerId.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("k51qzi5uqu5d", peerId.ToBase36Name(), StringComparison.Ordinal);
        Assert.True(peerId.TryExtractPublicKey(out var extracted));
        Assert.Equal(key.PublicKey, extracted);
        Assert.True(peerId.Matches(key.PublicKey));
        Assert.False(peerId.Matches(Ed25519PrivateKey.Generate().PublicKey));
        Assert.Equal(Multicodec.Libp2pKey, peerId.ToCid().Codec);
        Assert.Equal(peerId, PeerId.Decode(peerId.Bytes));
        Assert.Equal(peerId, PeerId.FromCid(peerId.ToCid()));
    }

    [Theory]
    [InlineData(MultibaseEncoding.Base32)]
    [InlineData(MultibaseEncoding.Base32Upper)]
    [InlineData(MultibaseEncoding.Base36)]
    [InlineData(MultibaseEncoding.Base36Upper)]
    [InlineData(MultibaseEncoding.Base58Btc)]
    [InlineData(MultibaseEncoding.Base16)]
    [InlineData(MultibaseEncoding.Base64Url)]
    public void CidFormParsesInAnyMultibase(MultibaseEncoding encoding)
    {
        var peerId = Ed25519PrivateKey.Generate().PeerId;
        var text = peerId.ToString(encoding);
        Assert.Equal(peerId, PeerId.Parse(text));
    }

    [Theory]
    [InlineData("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe", 0x12)]
    [InlineData("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N", 0x12)]
    [InlineData("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA", 0x00)]
    public void SpecExamplesParse(string text, int hashCode)
    {
        var peerId = PeerId.Parse(text);
        Assert.Equal((ulong)hashCode, peerId.Multihash.Code);
        var roundTrip = text.StartsWith('b') ? peerId.ToString(MultibaseEncoding.Base32) : peerId.ToString();
        Assert.Equal(text, roundTrip);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("Qm")]
    [InlineData("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx50")] // '0' is not base58
    [InlineData("bafkqaddwgevxmmraojswg33smq")] // raw CID, not libp2p-key
    [InlineData("bafybeifkipmlz2fehxda6y7x752uolfed7bdd46jzdammpfga5zrnkq33u")] // dag-pb CID
    [InlineData("1111")] // multihash of zero bytes
    public void InvalidPeerIdStringsAreRejected(string text)
    {
        Assert.Throws<MalformedDataException>(() => PeerId.Parse(text));
        Assert.False(PeerId.TryParse(text, out var none));
        Assert.Null(none);
    }

    [Fact]
    public void OnlyIdentityAndSha256MultihashesArePeerIds()
    {
        Assert.Throws<MalformedDataException>(() => PeerId.FromMultihash(Multihash.Compute([1, 2, 3], MultihashAlgorithm.Sha2_512)));
        // Identity multihash that does not hold a key protobuf.
        Assert.Throws<MalformedDataException>(() => PeerId.FromMultihash(Multihash.Create(Multicodec.Identity, [1, 2, 3])));
        // Identity multihash longer than 42 bytes: such keys must be hashed.
        Assert.Throws<MalformedDataException>(() => PeerId.FromMultihash(Multihash.Create(Multicodec.Identity, new byte[43])));
        var sha = PeerId.FromMultihash(Multihash.Sha2_256([1, 2, 3]));
        Assert.False(sha.TryExtractPublicKey(out var none));
        Assert.Null(none);
    }

    [Fact]
    public void EqualityIsByBytes()
    {
        var key = Ed25519PrivateKey.Generate();
        var a = PeerId.Parse(key.PeerId.ToString());
        var b = PeerId.Parse(key.PeerId.ToBase36Name());
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Ed25519PrivateKey.Generate().PeerId);
    }
}
