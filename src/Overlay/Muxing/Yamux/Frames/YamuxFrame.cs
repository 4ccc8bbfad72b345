// https://github.com/hashicorp/yamux/blob/master/spec.md#framing
using System.Buffers;
using System.Buffers.Binary;
using Overlay.Manifest.Errors;

namespace Overlay.Muxing.Yamux.Frames;

/// <summary>
/// The 12-byte header every yamux frame starts with; only data frames carry a payload after it
/// (<see cref="Length"/> bytes). All fields are big-endian.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +---------------+---------------+-------------------------------+
/// |  Version (8)  |    Type (8)   |           Flags (16)          |
/// +---------------+---------------+-------------------------------+
/// |                         StreamID (32)                         |
/// +---------------------------------------------------------------+
/// |                          Length (32)                          |
/// +---------------------------------------------------------------+
/// </code>
/// The per-type rules live in the partial files named after each type.
/// </summary>
internal readonly partial struct YamuxFrame
{
    public const int HeaderLength = 12;

    /// <summary>The only version the spec defines.</summary>
    public const byte ProtocolVersion = 0;

    /// <summary>Stream 0 stands for the session (pings and go-aways).</summary>
    public const uint SessionStreamId = 0;

    internal const string Format = "yamux";

    public YamuxFrame(YamuxFrameType type, YamuxFrameFlags flags, uint streamId, uint length)
    {
        Type = type;
        Flags = flags;
        StreamId = streamId;
        Length = length;
    }

    public YamuxFrameType Type { get; }
    public YamuxFrameFlags Flags { get; }
    public uint StreamId { get; }

    /// <summary>Payload length (data), window delta (window update), opaque value (ping) or error code (go-away).</summary>
    public uint Length { get; }

    public bool HasFlag(YamuxFrameFlags flag) => (Flags & flag) == flag;

    public void WriteTo(Span<byte> destination)
    {
        destination[0] = ProtocolVersion;
        destination[1] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StreamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Length);
    }

    /// <summary>
    /// Reads one header from the front of <paramref name="buffer"/> and validates it before any
    /// payload is looked at: version, type, the stream id rules of the type, and a data length of
    /// at most <paramref name="maxDataLength"/>. Returns false (and leaves the buffer alone) when
    /// fewer than 12 bytes are there; throws <see cref="MalformedDataException"/> or
    /// <see cref="LimitExceededException"/> for a header the spec does not allow.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, uint maxDataLength, out YamuxFrame frame)
    {
        if (buffer.Length < HeaderLength)
        {
            frame = default;
            return false;
        }

        Span<byte> copy = stackalloc byte[HeaderLength];
        ReadOnlySpan<byte> header = buffer.FirstSpan.Length >= HeaderLength
            ? buffer.FirstSpan[..HeaderLength]
            : CopyHeader(buffer, copy);

        if (header[0] != ProtocolVersion)
        {
            throw new MalformedDataException(Format, $"unsupported version {header[0]}");
        }

        frame = new YamuxFrame(
            (YamuxFrameType)header[1],
            (YamuxFrameFlags)BinaryPrimitives.ReadUInt16BigEndian(header[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(header[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(header[8..]));

        switch (frame.Type)
        {
            case YamuxFrameType.Data:
                frame.ValidateData(maxDataLength);
                break;
            case YamuxFrameType.WindowUpdate:
                frame.ValidateWindowUpdate();
                break;
            case YamuxFrameType.Ping:
                frame.ValidatePing();
                break;
            case YamuxFrameType.GoAway:
                frame.ValidateGoAway();
                break;
            default:
                throw new MalformedDataException(Format, $"unknown frame type {header[1]}");
        }

        buffer = buffer.Slice(HeaderLength);
        return true;
    }

    public override string ToString() => $"{Type} flags={Flags} stream={StreamId} length={Length}";

    private static ReadOnlySpan<byte> CopyHeader(in ReadOnlySequence<byte> buffer, Span<byte> destination)
    {
        buffer.Slice(0, HeaderLength).CopyTo(destination);
        return destination;
    }

    private void RequireStream(string type)
    {
        if (StreamId == SessionStreamId)
        {
            throw new MalformedDataException(Format, $"{type} frame for stream 0, which stands for the session");
        }
    }

    private void RequireSession(string type)
    {
        if (StreamId != SessionStreamId)
        {
            throw new MalformedDataException(Format, $"{type} frame for stream {StreamId}; it must use stream 0");
        }
    }
}
