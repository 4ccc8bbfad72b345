using System.IO.Pipelines;

namespace Overlay.Muxing;

/// <summary>
/// One bidirectional stream of a <see cref="IMuxedConnection"/>.
/// <list type="bullet">
/// <item>Read from <see cref="Input"/>: a result with <c>IsCompleted</c> means the remote closed
/// its side (half-close); a <see cref="StreamResetException"/> means the stream was reset.</item>
/// <item>Write to <see cref="Output"/>; <c>Output.CompleteAsync()</c> closes our side (FIN) while
/// the remote may keep writing. Flushes wait while the remote's window is full.</item>
/// <item><see cref="Reset"/> aborts both directions at once (RST).</item>
/// </list>
/// </summary>
public interface IMuxedStream : IAsyncDisposable
{
    /// <summary>The stream's id on this connection.</summary>
    long Id { get; }

    /// <summary>What the remote sends.</summary>
    PipeReader Input { get; }

    /// <summary>What we send; completing it half-closes the stream.</summary>
    PipeWriter Output { get; }

    /// <summary>
    /// Aborts the stream in both directions: pending and later reads and flushes on both ends
    /// fail with <see cref="StreamResetException"/>. Does nothing once the stream has ended.
    /// </summary>
    void Reset();
}
