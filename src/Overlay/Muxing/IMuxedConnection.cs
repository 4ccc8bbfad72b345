namespace Overlay.Muxing;

/// <summary>
/// A secured connection split into independent byte streams (yamux today; mplex or QUIC could
/// implement the same shape). The connection owns the transport it was created over and closes
/// it when it ends.
/// </summary>
public interface IMuxedConnection : IAsyncDisposable
{
    /// <summary>Cancelled once the connection has ended, for any reason (see <see cref="CloseReason"/>).</summary>
    CancellationToken Closed { get; }

    /// <summary>Null while the connection is open; afterwards, why it ended.</summary>
    MuxerClosedException? CloseReason { get; }

    /// <summary>The error code of the remote's go-away (0 = normal), or null if it sent none.</summary>
    uint? RemoteGoAwayCode { get; }

    /// <summary>
    /// Opens a stream to the remote. Waits while too many of our streams are still
    /// unacknowledged. Throws <see cref="MuxerClosedException"/> once the connection has ended.
    /// </summary>
    ValueTask<IMuxedStream> OpenStreamAsync(CancellationToken cancellationToken = default);

    /// <summary>The next stream the remote opened, or null once the connection has ended.</summary>
    ValueTask<IMuxedStream?> AcceptStreamAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Tells the remote we are going away (normal termination), resets every stream still open
    /// and waits until the background work has finished.
    /// </summary>
    ValueTask CloseAsync(CancellationToken cancellationToken = default);
}
