using Overlay.Bitswap.Messages;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Tests.Bitswap;

public sealed class CidPrefixTests
{
    [Fact]
    public void A_CIDv1_prefix_is_four_varints_and_sums_back_to_the_CID()
    {
        var data = "block"u8.ToArray();
        var cid = Cid.Compute(Multicodec.DagCbor, data);
        var prefix = CidPrefix.Of(cid);
        Assert.Equal(new byte[] { 0x01, 0x71, 0x12, 0x20 }, prefix.Encode());
        Assert.Equal(prefix, CidPrefix.Decode(prefix.Encode()));
        Assert.Equal(cid, prefix.Sum(data));
        Assert.NotEqual(cid, prefix.Sum("tampered"u8));
    }

    [Fact]
    public void A_CIDv0_prefix_sums_to_a_CIDv0()
    {
        var data = new byte[] { 1, 2, 3 };
        var cid = Cid.CreateV0(Multihash.Sha2_256(data));
        Assert.Equal(CidPrefix.V0, CidPrefix.Of(cid));
        Assert.Equal(new byte[] { 0x00, 0x70, 0x12, 0x20 }, CidPrefix.V0.Encode());
        Assert.Equal(cid, CidPrefix.V0.Sum(data));
    }

    [Fact]
    public void Multi_byte_codecs_and_truncated_digests_round_trip()
    {
        var prefix = new CidPrefix(1, Multicodec.DagJson, Multicodec.Sha2_512, 20);
        Assert.Equal(prefix, CidPrefix.Decode(prefix.Encode()));
        var cid = prefix.Sum("x"u8);
        Assert.Equal(20, cid.Hash.DigestLength);
        Assert.Equal(Multicodec.DagJson, cid.Codec);
    }

    [Fact]
    public void A_hash_we_cannot_compute_cannot_be_verified()
    {
        Assert.Throws<VerificationException>(() => new CidPrefix(1, Multicodec.Raw, 0x1e, 32).Sum("x"u8));
        Assert.Throws<VerificationException>(() => new CidPrefix(1, Multicodec.Raw, Multicodec.Identity, 1).Sum("x"u8));
    }

    [Fact]
    public void An_overlong_prefix_is_refused_by_its_limit()
    {
        Assert.Throws<LimitExceededException>(() => CidPrefix.Decode(new byte[BitswapLimits.MaxPrefixLength + 1]));
    }
}
