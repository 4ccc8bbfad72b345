// https://github.com/hashicorp/yamux/blob/master/spec.md#flag-field
namespace Overlay.Muxing.Yamux.Frames;

[Flags]
internal enum YamuxFrameFlags : ushort
{
    None = 0,

    /// <summary>Opens a stream (data or window update); marks a ping request.</summary>
    Syn = 0x1,

    /// <summary>Accepts a stream (data or window update); marks a ping response.</summary>
    Ack = 0x2,

    /// <summary>Half-closes the sender's side of a stream.</summary>
    Fin = 0x4,

    /// <summary>Aborts a stream in both directions.</summary>
    Rst = 0x8,
}
