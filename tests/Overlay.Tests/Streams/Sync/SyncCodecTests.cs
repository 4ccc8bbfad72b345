using System.Security.Cryptography;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.Streams.Sync;

namespace Overlay.Tests.Streams.Sync;

/// <summary>The sync messages of specs/sync.md §2: the vectors of §8, the limits of §3, and mutations that must fail with a typed error only.</summary>
public sealed class SyncCodecTests
{
    /// <summary>The signed head of size 7 of specs/manifest.md §8.3.</summary>
    private const string VectorHead = "ac6176016373696758402bac36404552d7d5572b781a9edd6b49ecad74b441b1257d2501447fa5674cd0644ace2826f85ab77a1c356249067c37d4511b5228661edb3b124c9009d66a0964726f6f74582050ab265b993e6aa181e0d00829c0e913975437750fb8978cfa37a90618c64c4c6473697a65076474696d651b0000018bcfe6eea06572656e647381a561681902d061771905006262771a002625a0626964643732307066636f6465637375617663312e3634303031662c6d7034612e34302e32657469746c65734f7665726c6179207465737420766563746f72666c6561766573d82a582500017112204e402afecc16fe4b9fe5072c998207d8a2d68416817e52b8618b39660d8a89c466706f73746572d82a58250001551220e8826c66622334148dee0842b0f1e5faa5600fb48b85af83f40b080ed06ae9a2667365616c6564f56673747265616d582600240801122079b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad04966467657870697265731b0000018c6a65b6a0";

    /// <summary>specs/sync.md §8.1: everything before the 390 head bytes.</summary>
    private const string SummaryPrefix = "a461746773756d6d617279617601656361727279f56773747265616d7381a26468617665828200038204076468656164590186";

    private const string SummarySha256 = "5f5ac5ac1d9450bb4d3222cec8893bfe8a638ecb103fc0b676e00b2d6e604e14";

    private const string BundleFrame = "a461746662756e646c6561760163736571046673747265616d582600240801122079b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664";

    private const string EndFrame = "a2617463656e64617601";

    private static SyncSummary Vector => new([new SyncSummaryEntry(Convert.FromHexString(VectorHead), [new LeafRange(0, 3), new LeafRange(4, 7)])]);

    [Fact]
    public void The_summary_vector_encodes_byte_for_byte_and_decodes_back()
    {
        var bytes = SyncCodec.EncodeSummary(Vector);
        Assert.Equal(441, bytes.Length);
        Assert.Equal(SummaryPrefix + VectorHead, Convert.ToHexStringLower(bytes));
        Assert.Equal(SummarySha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        var decoded = SyncCodec.DecodeSummary(bytes);
        Assert.True(decoded.Carry);
        Assert.False(SyncCodec.DecodeSummary(SyncCodec.EncodeSummary(Vector with { Carry = false })).Carry);
        var entry = Assert.Single(decoded.Streams);
        Assert.Equal(Convert.FromHexString(VectorHead), entry.Head.ToArray());
        Assert.Equal([new LeafRange(0, 3), new LeafRange(4, 7)], entry.Held);
        // The head inside is the manifest vector: a real, verifiable head.
        Assert.Equal(7, SignedTreeHead.Decode(entry.Head.Span).Head.Size);
    }

    [Fact]
    public void The_frame_vectors_encode_byte_for_byte_and_every_kind_round_trips()
    {
        var stream = PeerId.Decode(Convert.FromHexString("00240801122079b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664"));
        Assert.Equal(BundleFrame, Convert.ToHexStringLower(SyncCodec.EncodeFrame(new SyncFrame { Kind = SyncFrameKind.Bundle, Stream = stream, Seq = 4 })));
        Assert.Equal(EndFrame, Convert.ToHexStringLower(SyncCodec.EncodeFrame(new SyncFrame { Kind = SyncFrameKind.End })));
        var bundle = SyncCodec.DecodeFrame(Convert.FromHexString(BundleFrame));
        Assert.Equal((SyncFrameKind.Bundle, stream, 4L), (bundle.Kind, bundle.Stream!, bundle.Seq));
        foreach (var kind in new[] { SyncFrameKind.Head, SyncFrameKind.Block })
        {
            var frame = SyncCodec.DecodeFrame(SyncCodec.EncodeFrame(new SyncFrame { Kind = kind, Data = new byte[] { 1, 2, 3 } }));
            Assert.Equal(kind, frame.Kind);
            Assert.Equal([1, 2, 3], frame.Data.ToArray());
        }
    }

    [Fact]
    public void Limits_are_checked_before_anything_is_built()
    {
        var tooMany = new SyncSummary(Enumerable.Repeat(new SyncSummaryEntry(new byte[] { 1 }, []), SyncLimits.MaxSummaryEntries + 1).ToArray());
        Assert.Throws<ArgumentException>(() => SyncCodec.EncodeSummary(tooMany));
        // Hand-built messages past each limit.
        var entries = string.Concat(Enumerable.Repeat("a264686176658064686561644101", SyncLimits.MaxSummaryEntries + 1));
        Assert.Throws<LimitExceededException>(() => SyncCodec.DecodeSummary(Convert.FromHexString("a461746773756d6d617279617601656361727279f56773747265616d73" + "9841" + entries)));
        var ranges = string.Concat(Enumerable.Range(0, SyncLimits.MaxRangesPerEntry + 1).Select(i => "82" + Cbor(2 * i) + Cbor(2 * i + 1)));
        Assert.Throws<LimitExceededException>(() => SyncCodec.DecodeSummary(Convert.FromHexString("a461746773756d6d617279617601656361727279f56773747265616d7381a264686176659841" + ranges + "64686561644101")));
        var bigHead = "a461746773756d6d617279617601656361727279f56773747265616d7381a2646861766580646865616459" + "2001" + new string('0', 2 * 0x2001);
        Assert.Throws<LimitExceededException>(() => SyncCodec.DecodeSummary(Convert.FromHexString(bigHead)));
        Assert.Throws<LimitExceededException>(() => SyncCodec.DecodeSummary(new byte[SyncLimits.MaxSummaryBytes + 1]));
        Assert.Throws<LimitExceededException>(() => SyncCodec.DecodeFrame(new byte[SyncLimits.MaxFrameBytes + 1]));
        var bigBlock = SyncCodec.EncodeFrame(new SyncFrame { Kind = SyncFrameKind.Block, Data = new byte[SyncLimits.MaxBlockBytes] });
        Assert.Equal(SyncFrameKind.Block, SyncCodec.DecodeFrame(bigBlock).Kind);
        Assert.Throws<LimitExceededException>(() => SyncCodec.DecodeFrame(SyncCodec.EncodeFrame(new SyncFrame { Kind = SyncFrameKind.Head, Data = new byte[StreamLimits.MaxHeadBytes + 1] })));
    }

    [Theory]
    [InlineData("a2617463656e64617602")] // version 2
    [InlineData("a3617463656e64617601617801")] // an extra key
    [InlineData("a261746462797465617601")] // an unknown type
    [InlineData("a1617601")] // no type
    [InlineData("a461746773756d6d617279617601656361727279016773747265616d7380")] // carry not a bool
    [InlineData("82617463656e64")] // not a map
    [InlineData("a461746773756d6d617279617601656361727279f56773747265616d7381a2646861766581820302646865616440")] // a range that runs backwards
    [InlineData("a461746773756d6d617279617601656361727279f56773747265616d7381a2646861766582820003820204646865616440")] // overlapping ranges
    [InlineData("a461746773756d6d617279617601656361727279f56773747265616d7381a1646865616440")] // an entry without have
    public void Malformed_messages_are_refused_with_a_typed_error(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.ThrowsAny<MalformedDataException>(() => SyncCodec.DecodeSummary(bytes));
        Assert.ThrowsAny<MalformedDataException>(() => SyncCodec.DecodeFrame(bytes));
    }

    [Fact]
    public void Every_mutation_of_the_vectors_either_decodes_or_fails_with_a_typed_error_only()
    {
        var random = new Random(5);
        var summary = SyncCodec.EncodeSummary(Vector);
        var frame = Convert.FromHexString(BundleFrame);
        for (var i = 0; i < 3000; i++)
        {
            var source = i % 2 == 0 ? summary : frame;
            var mutated = source.ToArray();
            switch (random.Next(3))
            {
                case 0:
                    mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    mutated = mutated[..random.Next(mutated.Length)];
                    break;
                default:
                    mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                    break;
            }
            try
            {
                SyncCodec.DecodeSummary(mutated);
            }
            catch (MalformedDataException)
            {
            }
            try
            {
                SyncCodec.DecodeFrame(mutated);
            }
            catch (MalformedDataException)
            {
            }
        }
    }

    private static string Cbor(int value) => value < 24 ? value.ToString("x2") : "18" + value.ToString("x2");
}
