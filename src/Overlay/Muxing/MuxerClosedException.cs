using Overlay.Manifest.Errors;

namespace Overlay.Muxing;

/// <summary>
/// A muxed connection has ended. Kept as <see cref="IMuxedConnection.CloseReason"/>, thrown by
/// operations that need an open connection, and the inner exception of the
/// <see cref="StreamResetException"/> of every stream that was still open. For a protocol
/// violation the inner exception is the <see cref="MalformedDataException"/> (or
/// <see cref="LimitExceededException"/>) that described it.
/// </summary>
public sealed class MuxerClosedException : OverlayException
{
    public MuxerClosedException(MuxerCloseKind kind, uint? goAwayCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        GoAwayCode = goAwayCode;
    }

    public MuxerCloseKind Kind { get; }

    /// <summary>The go-away error code we sent or received, or null when none was exchanged.</summary>
    public uint? GoAwayCode { get; }
}
