using System.IO.Pipelines;
using Overlay.Addressing;

namespace Overlay.Transport;

/// <summary>
/// A byte-stream connection in Kestrel's shape: a duplex pipe, a token that fires when it
/// closes, and <see cref="Abort"/> to tear it down with a reason. Completing <c>Output</c> is a
/// graceful half-close; the connection closes when both directions are done.
/// </summary>
public interface IConnection : IDuplexPipe, IAsyncDisposable
{
    Multiaddr LocalAddress { get; }

    Multiaddr RemoteAddress { get; }

    /// <summary>Fires once the connection is closed, by either side or by <see cref="Abort"/>.</summary>
    CancellationToken Closed { get; }

    /// <summary>Closes at once; pending reads and writes fail with <paramref name="reason"/>.</summary>
    void Abort(Exception? reason = null);
}
