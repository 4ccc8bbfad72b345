using Overlay.Manifest.Errors;
using Overlay.Manifest.UnixFs;
using Overlay.Tests.Shared;

namespace Overlay.Manifest.Tests.UnixFs;

public sealed class UnixFsDataTests
{
    [Fact]
    public void DecodesAndReEncodesAGoImporterFileNode()
    {
        // The Data of ipld/codec-fixtures dagpb_7unnamedlinks+data (a go-ipfs file root).
        var bytes = Convert.FromBase64String("CAIYy8GBkgEggIDgFSCAgOAVIICA4BUggIDgFSCAgOAVIICA4BUgy8HBDw==");
        var data = UnixFsData.Decode(bytes);
        Assert.Equal(UnixFsType.File, data.Type);
        Assert.Equal(306208971UL, data.FileSize);
        Assert.Equal([45613056UL, 45613056, 45613056, 45613056, 45613056, 45613056, 32530635], data.BlockSizes);
        Assert.Equal(data.FileSize, data.ContentSize());
        Assert.Equal(bytes, data.Encode());
    }

    [Fact]
    public void DirectoryDataIsTheWellKnownTwoBytes() =>
        Assert.Equal("0801", Convert.ToHexStringLower(new UnixFsData { Type = UnixFsType.Directory }.Encode()));

    [Fact]
    public void WritesFieldsInNumberOrderAndDropsEmptyData()
    {
        var data = new UnixFsData
        {
            Type = UnixFsType.HamtShard,
            Data = new byte[] { 0x80, 0x01 },
            HashType = 0x22,
            Fanout = 256,
            Mode = 0x1ED,
            ModificationTime = new UnixFsTime(-1, 5),
        };
        Assert.Equal("0805" + "12028001" + "2822" + "308002" + "38ed03" + "421008ffffffffffffffffff0115" + "05000000",
            Convert.ToHexStringLower(data.Encode()));
        var decoded = UnixFsData.Decode(data.Encode());
        Assert.Equal(new UnixFsTime(-1, 5), decoded.ModificationTime);
        Assert.Equal(0x1EDu, decoded.Mode);
        Assert.Equal("0802", Convert.ToHexStringLower(new UnixFsData { Type = UnixFsType.File, Data = Array.Empty<byte>() }.Encode()));
    }

    [Fact]
    public void ZeroFractionIsDroppedOnEncode() =>
        Assert.Equal("0804" + "42020801", Convert.ToHexStringLower(new UnixFsData { Type = UnixFsType.Symlink, ModificationTime = new UnixFsTime(1, 0) }.Encode()));

    [Fact]
    public void AcceptsPackedBlockSizes()
    {
        var data = UnixFsData.Decode(Convert.FromHexString("0802" + "2203" + "0a" + "8001"));
        Assert.Equal([10UL, 128], data.BlockSizes);
    }

    [Theory]
    [InlineData("", "Type is missing")]
    [InlineData("1801", "Type is missing")]
    [InlineData("0806", "unknown Type")]
    [InlineData("08020802", "duplicate field 1")]
    [InlineData("0a02", "wire type")]
    [InlineData("0802" + "3880808080 10", "32 bits")]
    [InlineData("0802" + "42051501000000", "Seconds is missing")]
    [InlineData("0802" + "4207080115 00000000", "outside")]
    [InlineData("0802" + "420708011500ca9a3b", "outside")]
    [InlineData("0802" + "4204080108 02", "duplicate mtime")]
    [InlineData("0802" + "1205aa", "truncated")]
    public void RejectsInvalidData(string hex, string reason)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        var error = Assert.ThrowsAny<MalformedDataException>(() => UnixFsData.Decode(bytes));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MtimeWithoutFractionDecodes() =>
        Assert.Equal(new UnixFsTime(1), UnixFsData.Decode(Convert.FromHexString("0802" + "42020801")).ModificationTime);

    [Fact]
    public void SkipsUnknownFields() =>
        Assert.Equal(UnixFsType.File, UnixFsData.Decode(Convert.FromHexString("0802" + "5801" + "620100")).Type);

    [Fact]
    public void RandomBytesOnlyEverFailAsMalformedData()
    {
        var random = new DeterministicBytes(11);
        var buffer = new byte[48];
        var decoded = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var length = (int)(random.NextUInt64() % 49);
            random.Fill(buffer.AsSpan(0, length));
            if (length > 0)
            {
                buffer[0] = 0x08;
                buffer[1 % length] = (byte)(random.NextUInt64() % 6);
            }
            try
            {
                UnixFsData.Decode(buffer.AsSpan(0, length));
                decoded++;
            }
            catch (MalformedDataException)
            {
            }
        }
        Assert.InRange(decoded, 1, 20_000);
    }
}
