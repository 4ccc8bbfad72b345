// https://github.com/hashicorp/yamux/blob/master/spec.md#session-termination
namespace Overlay.Muxing.Yamux;

/// <summary>The error codes a yamux go-away carries in its length field.</summary>
public enum YamuxGoAwayCode : uint
{
    Normal = 0,
    ProtocolError = 1,
    InternalError = 2,
}
