using Overlay.Manifest.DagPb;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Tests.Shared;
using DagPbCodec = Overlay.Manifest.DagPb.DagPb;

namespace Overlay.Manifest.Tests.DagPb;

public sealed class DagPbCodecTests
{
    // A link to bafkqabiaaebagba (identity CID of 00 01 02 03 04), as the codec fixtures use.
    private const string Link = "0a09015500050001020304";
    private static readonly Cid IdentityCid = Cid.Parse("bafkqabiaaebagba");

    [Fact]
    public void EmptyBlockIsNoDataAndNoLinks()
    {
        var node = DagPbCodec.Decode([]);
        Assert.Null(node.Data);
        Assert.Empty(node.Links);
        Assert.Equal("bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", Cid.Compute(Multicodec.DagPb, DagPbCodec.Encode(node)).ToString());
    }

    [Fact]
    public void EncodesLinksBeforeDataAndLinkFieldsInOrder()
    {
        var node = new DagPbNode([new DagPbLink(IdentityCid, "a", 7)], new byte[] { 0xAA });
        Assert.Equal("1210" + Link + "1201611807" + "0a01aa", Convert.ToHexStringLower(DagPbCodec.Encode(node)));
    }

    [Fact]
    public void AcceptsDataBeforeLinksButReEncodesCanonically()
    {
        var dataFirst = Convert.FromHexString("0a01aa" + "120b" + Link);
        var node = DagPbCodec.Decode(dataFirst);
        Assert.Equal("120b" + Link + "0a01aa", Convert.ToHexStringLower(DagPbCodec.Encode(node)));
    }

    [Fact]
    public void KeepsDecodedLinkOrderEvenWhenUnsorted()
    {
        var unsorted = Convert.FromHexString("1210" + Link + "1203666f6f" + "1210" + Link + "1203626172");
        var node = DagPbCodec.Decode(unsorted);
        Assert.Equal(["foo", "bar"], node.Links.Select(l => l.Name));
        Assert.Equal(unsorted, DagPbCodec.Encode(node));
    }

    [Theory]
    [InlineData("0a01aa0a01bb", "duplicate Data")]
    [InlineData("1a00", "unknown PBNode field 3")]
    [InlineData("0801", "wire type")]
    [InlineData("120b" + Link + "0a00" + "120b" + Link, "after Data")]
    [InlineData("1202" + "1800", "no Hash")]
    [InlineData("1210" + "1203666f6f" + Link, "after field 2")]
    [InlineData("120f" + Link + "1800" + "1200", "after field 3")]
    [InlineData("1216" + Link + Link, "duplicate PBLink field 1")]
    [InlineData("1210" + Link + "120361", "truncated")]
    [InlineData("120d" + Link + "2000", "unknown PBLink field 4")]
    [InlineData("120d" + Link + "1a00", "wire type")]
    [InlineData("120d" + Link + "1001", "wire type")]
    [InlineData("120b" + "0a09025500050001020304", "not a valid CID")]
    [InlineData("120e" + Link + "1201ff", "UTF-8")]
    [InlineData("0a05aabb", "exceeds")]
    [InlineData("12", "truncated")]
    [InlineData("0b", "wire type")]
    public void RejectsNonCanonicalOrBrokenBlocks(string hex, string reason)
    {
        var error = Assert.ThrowsAny<MalformedDataException>(() => DagPbCodec.Decode(Convert.FromHexString(hex)));
        Assert.Contains(reason, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void RejectsBlocksOverTwoMebibytesBeforeParsing()
    {
        var error = Assert.Throws<LimitExceededException>(() => DagPbCodec.Decode(new byte[DagPbCodec.MaxBlockSize + 1]));
        Assert.Equal(DagPbCodec.MaxBlockSize, error.Limit);
    }

    [Fact]
    public void RandomBytesOnlyEverFailAsMalformedData()
    {
        var random = new DeterministicBytes(7);
        var buffer = new byte[64];
        for (var i = 0; i < 20_000; i++)
        {
            var length = (int)(random.NextUInt64() % 65);
            random.Fill(buffer.AsSpan(0, length));
            // Bias toward dag-pb shapes so parsing goes deep, not just the first tag.
            if (length > 2 && i % 2 == 0)
            {
                buffer[0] = 0x12;
                buffer[1] = (byte)(length - 2);
            }
            try
            {
                var node = DagPbCodec.Decode(buffer.AsSpan(0, length));
                Assert.Equal(node.Links.Count, DagPbCodec.Decode(DagPbCodec.Encode(node)).Links.Count);
            }
            catch (MalformedDataException)
            {
            }
        }
    }

    [Fact]
    public void NodeConstructorRequiresSortedLinksAndCreateSortedSortsStably()
    {
        var a1 = new DagPbLink(IdentityCid, "a", 1);
        var a2 = new DagPbLink(IdentityCid, "a", 2);
        var b = new DagPbLink(IdentityCid, "b");
        var unnamed = new DagPbLink(IdentityCid);
        Assert.Throws<ArgumentException>(() => new DagPbNode([b, a1]));
        var sorted = DagPbNode.CreateSorted([b, a1, unnamed, a2]);
        Assert.Equal([unnamed, a1, a2, b], sorted.Links);
    }

    [Fact]
    public void SortsNamesByUtf8BytesNotUtf16Units()
    {
        // U+FF21 is one UTF-16 unit above the surrogates, but in UTF-8 (EF BC A1) it sorts before
        // U+1F600 (F0 9F 98 80), which UTF-16 stores as D83D DE00.
        var fullWidth = new DagPbLink(IdentityCid, "\uFF21");
        var emoji = new DagPbLink(IdentityCid, "\U0001F600");
        Assert.Equal([fullWidth, emoji], DagPbNode.CreateSorted([emoji, fullWidth]).Links);
        Assert.True(string.CompareOrdinal(emoji.Name, fullWidth.Name) < 0);
    }

    [Fact]
    public void EmptyNameIsEncodedAndMissingNameIsNot()
    {
        Assert.Equal("120d" + Link + "1200", Convert.ToHexStringLower(DagPbCodec.Encode(new DagPbNode([new DagPbLink(IdentityCid, "")]))));
        Assert.Equal("120b" + Link, Convert.ToHexStringLower(DagPbCodec.Encode(new DagPbNode([new DagPbLink(IdentityCid)]))));
    }

    [Fact]
    public void TsizeCarriesAllSixtyFourBits()
    {
        var node = new DagPbNode([new DagPbLink(IdentityCid, null, ulong.MaxValue)]);
        var decoded = DagPbCodec.Decode(DagPbCodec.Encode(node));
        Assert.Equal(ulong.MaxValue, decoded.Links[0].Tsize);
    }
}
