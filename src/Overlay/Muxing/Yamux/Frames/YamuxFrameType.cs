// https://github.com/hashicorp/yamux/blob/master/spec.md#type-field
namespace Overlay.Muxing.Yamux.Frames;

internal enum YamuxFrameType : byte
{
    /// <summary>Stream data; the length field counts the payload bytes that follow.</summary>
    Data = 0x0,

    /// <summary>Adds the length field to the sender's receive window of a stream.</summary>
    WindowUpdate = 0x1,

    /// <summary>Round-trip probe; the length field is an opaque value echoed back.</summary>
    Ping = 0x2,

    /// <summary>Ends the session; the length field is a <see cref="YamuxGoAwayCode"/>.</summary>
    GoAway = 0x3,
}
