// https://github.com/hashicorp/yamux/blob/master/spec.md#type-field
using Overlay.Manifest.Errors;

namespace Overlay.Muxing.Yamux.Frames;

/// <summary>
/// Ping (type 0x2) on stream 0: a request carries SYN and an opaque value; the response carries
/// ACK and echoes the value.
/// <code>
/// +---------------+---------------+-------------------------------+
/// |  Version (0)  |    Type (2)   |        Flags (SYN or ACK)      |
/// +---------------+---------------+-------------------------------+
/// |                          StreamID (0)                         |
/// +---------------------------------------------------------------+
/// |                         Length (opaque)                       |
/// +---------------------------------------------------------------+
/// </code>
/// </summary>
internal readonly partial struct YamuxFrame
{
    public static YamuxFrame PingRequest(uint opaque) =>
        new(YamuxFrameType.Ping, YamuxFrameFlags.Syn, SessionStreamId, opaque);

    public static YamuxFrame PingResponse(uint opaque) =>
        new(YamuxFrameType.Ping, YamuxFrameFlags.Ack, SessionStreamId, opaque);

    private void ValidatePing()
    {
        RequireSession("ping");

        // A ping is either a request or a response; with neither flag it is neither.
        if ((Flags & (YamuxFrameFlags.Syn | YamuxFrameFlags.Ack)) == 0)
        {
            throw new MalformedDataException(Format, $"ping without SYN or ACK (flags {Flags})");
        }
    }
}
