// https://github.com/hashicorp/yamux/blob/master/spec.md#session-termination
namespace Overlay.Muxing.Yamux.Frames;

/// <summary>
/// Go-away (type 0x3) on stream 0: the sender is ending the session; the length field is the
/// error code (<see cref="YamuxGoAwayCode"/>: 0 normal, 1 protocol error, 2 internal error).
/// <code>
/// +---------------+---------------+-------------------------------+
/// |  Version (0)  |    Type (3)   |           Flags (0)           |
/// +---------------+---------------+-------------------------------+
/// |                          StreamID (0)                         |
/// +---------------------------------------------------------------+
/// |                        Length (error code)                    |
/// +---------------------------------------------------------------+
/// </code>
/// </summary>
internal readonly partial struct YamuxFrame
{
    public static YamuxFrame GoAway(YamuxGoAwayCode code) =>
        new(YamuxFrameType.GoAway, YamuxFrameFlags.None, SessionStreamId, (uint)code);

    private void ValidateGoAway() => RequireSession("go-away");
}
