using Overlay.Manifest.Errors;

namespace Overlay.Muxing;

/// <summary>
/// A stream was aborted: by the remote (RST), by us (<see cref="IMuxedStream.Reset"/>), or
/// because its connection ended (then <see cref="Exception.InnerException"/> is the
/// connection's <see cref="MuxerClosedException"/>). Data not yet read is lost.
/// </summary>
public sealed class StreamResetException : OverlayException
{
    public StreamResetException(long streamId, bool remote, string message, Exception? inner = null)
        : base($"stream {streamId} reset: {message}", inner)
    {
        StreamId = streamId;
        Remote = remote;
    }

    public long StreamId { get; }

    /// <summary>True when the remote reset the stream (or ended the connection).</summary>
    public bool Remote { get; }
}
