// https://github.com/hashicorp/yamux/blob/master/spec.md#flow-control
namespace Overlay.Muxing.Yamux.Frames;

/// <summary>
/// Window update (type 0x1): grows the receiver's send window of a stream by <see cref="Length"/>
/// bytes. Also the frame that opens (SYN), accepts (ACK), half-closes (FIN) or resets (RST) a
/// stream without sending data; with RST the length may carry an error code.
/// <code>
/// +---------------+---------------+-------------------------------+
/// |  Version (0)  |    Type (1)   |     Flags (SYN|ACK|FIN|RST)    |
/// +---------------+---------------+-------------------------------+
/// |                        StreamID (non-zero)                    |
/// +---------------------------------------------------------------+
/// |                        Length (window delta)                  |
/// +---------------------------------------------------------------+
/// </code>
/// </summary>
internal readonly partial struct YamuxFrame
{
    public static YamuxFrame WindowUpdate(uint streamId, YamuxFrameFlags flags, uint delta) =>
        new(YamuxFrameType.WindowUpdate, flags, streamId, delta);

    private void ValidateWindowUpdate() => RequireStream("window update");
}
