// https://github.com/hashicorp/yamux/blob/master/spec.md#type-field
using Overlay.Manifest.Errors;

namespace Overlay.Muxing.Yamux.Frames;

/// <summary>
/// Data (type 0x0): <see cref="Length"/> payload bytes follow the header. May carry SYN, ACK,
/// FIN or RST; a zero-length data frame is allowed (flags only).
/// <code>
/// +---------------+---------------+-------------------------------+
/// |  Version (0)  |    Type (0)   |     Flags (SYN|ACK|FIN|RST)    |
/// +---------------+---------------+-------------------------------+
/// |                        StreamID (non-zero)                    |
/// +---------------------------------------------------------------+
/// |                     Length (payload bytes)                    |
/// +---------------------------------------------------------------+
/// |                      Payload (Length bytes) ...               |
/// +---------------------------------------------------------------+
/// </code>
/// </summary>
internal readonly partial struct YamuxFrame
{
    public static YamuxFrame Data(uint streamId, YamuxFrameFlags flags, uint length) =>
        new(YamuxFrameType.Data, flags, streamId, length);

    private void ValidateData(uint maxDataLength)
    {
        RequireStream("data");

        // No receive window is ever larger than maxDataLength, so a longer frame breaks flow
        // control whatever stream it is for; refuse it before reading a byte of its payload.
        if (Length > maxDataLength)
        {
            throw new LimitExceededException(Format, "data frame length", maxDataLength, Length);
        }
    }
}
