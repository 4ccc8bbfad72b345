using System.Buffers;
using System.Text.RegularExpressions;
using Overlay.Manifest.Errors;
using Overlay.Muxing.Yamux;
using Overlay.Muxing.Yamux.Frames;
using Overlay.Tests.Shared;
using Overlay.Tests.Support;

namespace Overlay.Tests.Muxing.Yamux;

public sealed class YamuxFrameTests
{
    private const uint Max = 16 * 1024 * 1024;

    [Fact]
    public void Header_is_version_type_flags_stream_length_big_endian()
    {
        var bytes = new byte[YamuxFrame.HeaderLength];
        YamuxFrame.Data(0x01020304, YamuxFrameFlags.Syn | YamuxFrameFlags.Fin, 0x0A0B0C0D).WriteTo(bytes);
        Assert.Equal(new byte[] { 0, 0, 0x00, 0x05, 1, 2, 3, 4, 0x0A, 0x0B, 0x0C, 0x0D }, bytes);

        YamuxFrame.GoAway(YamuxGoAwayCode.InternalError).WriteTo(bytes);
        Assert.Equal(new byte[] { 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 }, bytes);

        YamuxFrame.PingResponse(0xFFFFFFFF).WriteTo(bytes);
        Assert.Equal(new byte[] { 0, 2, 0, 2, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF }, bytes);
    }

    private static readonly YamuxFrame[] ValidFrames =
    [
        YamuxFrame.Data(1, YamuxFrameFlags.None, 0),
        YamuxFrame.Data(0xFFFFFFFF, YamuxFrameFlags.Syn | YamuxFrameFlags.Ack | YamuxFrameFlags.Fin | YamuxFrameFlags.Rst, Max),
        YamuxFrame.WindowUpdate(2, YamuxFrameFlags.Ack, 0xFFFFFFFF),
        YamuxFrame.PingRequest(7),
        YamuxFrame.PingResponse(0),
        YamuxFrame.GoAway(YamuxGoAwayCode.ProtocolError),
    ];

    public static TheoryData<int> ValidFrameIndexes() => new(Enumerable.Range(0, ValidFrames.Length));

    [Theory]
    [MemberData(nameof(ValidFrameIndexes))]
    public void Frames_round_trip(int index)
    {
        var frame = ValidFrames[index];
        var bytes = new byte[YamuxFrame.HeaderLength + 3];
        frame.WriteTo(bytes);
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.True(YamuxFrame.TryRead(ref buffer, Max, out var read));
        Assert.Equal(frame, read);
        Assert.Equal(3, buffer.Length);
    }

    [Fact]
    public void Fewer_than_twelve_bytes_is_need_more_and_consumes_nothing()
    {
        var bytes = new byte[YamuxFrame.HeaderLength];
        YamuxFrame.WindowUpdate(3, YamuxFrameFlags.None, 5).WriteTo(bytes);
        var buffer = new ReadOnlySequence<byte>(bytes, 0, 11);

        Assert.False(YamuxFrame.TryRead(ref buffer, Max, out _));
        Assert.Equal(11, buffer.Length);
    }

    [Fact]
    public void A_header_split_across_segments_is_read()
    {
        var bytes = new byte[YamuxFrame.HeaderLength];
        YamuxFrame.WindowUpdate(9, YamuxFrameFlags.Fin, 77).WriteTo(bytes);
        var buffer = Segments.Of(bytes[..5], bytes[5..7], bytes[7..]);

        Assert.True(YamuxFrame.TryRead(ref buffer, Max, out var frame));
        Assert.Equal(YamuxFrame.WindowUpdate(9, YamuxFrameFlags.Fin, 77), frame);
        Assert.True(buffer.IsEmpty);
    }

    public static TheoryData<string, byte[]> MalformedHeaders() => new()
    {
        { "unsupported version", [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0] },
        { "unknown frame type", [0, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0] },
        { "data frame for stream 0", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1] },
        { "window update frame for stream 0", [0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0] },
        { "ping frame for stream 5", [0, 2, 0, 1, 0, 0, 0, 5, 0, 0, 0, 0] },
        { "go-away frame for stream 1", [0, 3, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0] },
        { "ping without SYN or ACK", [0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void Headers_the_spec_does_not_allow_are_malformed(string expected, byte[] header)
    {
        var buffer = new ReadOnlySequence<byte>(header);
        var error = Assert.ThrowsAny<MalformedDataException>(() => YamuxFrame.TryRead(ref buffer, Max, out _));
        Assert.Equal("yamux", error.Format);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_length_past_the_limit_is_refused_from_the_header_alone()
    {
        var header = new byte[YamuxFrame.HeaderLength];
        YamuxFrame.Data(1, YamuxFrameFlags.None, uint.MaxValue).WriteTo(header);
        var buffer = new ReadOnlySequence<byte>(header);

        var error = Assert.Throws<LimitExceededException>(() => YamuxFrame.TryRead(ref buffer, Max, out _));
        Assert.Equal(Max, error.Limit);
        Assert.Equal(uint.MaxValue, error.Declared);
    }

    [Fact]
    public void Constants_match_the_spec()
    {
        var spec = Fixtures.ReadText("hashicorp-yamux", "spec.md");

        static uint Code(string spec, string name)
        {
            var match = Regex.Match(spec, @"^\* 0x([0-9A-Fa-f]+) " + Regex.Escape(name), RegexOptions.Multiline);
            Assert.True(match.Success, $"the spec lists no code for {name}");
            return Convert.ToUInt32(match.Groups[1].Value, 16);
        }

        Assert.Equal((uint)YamuxFrameType.Data, Code(spec, "Data"));
        Assert.Equal((uint)YamuxFrameType.WindowUpdate, Code(spec, "Window Update"));
        Assert.Equal((uint)YamuxFrameType.Ping, Code(spec, "Ping"));
        Assert.Equal((uint)YamuxFrameType.GoAway, Code(spec, "Go Away"));
        Assert.Equal((uint)YamuxFrameFlags.Syn, Code(spec, "SYN"));
        Assert.Equal((uint)YamuxFrameFlags.Ack, Code(spec, "ACK"));
        Assert.Equal((uint)YamuxFrameFlags.Fin, Code(spec, "FIN"));
        Assert.Equal((uint)YamuxFrameFlags.Rst, Code(spec, "RST"));
        Assert.Equal((uint)YamuxGoAwayCode.Normal, Code(spec, "Normal termination"));
        Assert.Equal((uint)YamuxGoAwayCode.ProtocolError, Code(spec, "Protocol error"));
        Assert.Equal((uint)YamuxGoAwayCode.InternalError, Code(spec, "Internal error"));

        Assert.Contains("each header has a 12 byte overhead", spec, StringComparison.Ordinal);
        Assert.Equal(12, YamuxFrame.HeaderLength);
        Assert.Contains("the field is always set to 0", spec, StringComparison.Ordinal);
        Assert.Equal(0, YamuxFrame.ProtocolVersion);
        Assert.Contains("starts each stream with a 256KB window size", spec, StringComparison.Ordinal);
        Assert.Equal(256u * 1024, YamuxOptions.SpecInitialWindow);
    }
}
