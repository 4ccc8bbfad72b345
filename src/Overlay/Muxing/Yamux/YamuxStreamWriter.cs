using System.Buffers;
using System.IO.Pipelines;

namespace Overlay.Muxing.Yamux;

/// <summary>
/// The application's view of a stream's outbound pipe. Flushing hands the data to the session's
/// send loop; the flush waits while more than the send buffer is unsent (that is, while the
/// remote's window is full). After a reset every flush throws the
/// <see cref="StreamResetException"/>.
/// </summary>
internal sealed class YamuxStreamWriter : PipeWriter
{
    private readonly YamuxStream _stream;
    private readonly PipeWriter _inner;
    private readonly int _chunkSize;

    public YamuxStreamWriter(YamuxStream stream, PipeWriter inner, int chunkSize)
    {
        _stream = stream;
        _inner = inner;
        _chunkSize = chunkSize;
    }

    public override bool CanGetUnflushedBytes => _inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _inner.UnflushedBytes;

    public override void Advance(int bytes) => _inner.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(sizeHint);

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        _inner.Complete(exception);
        _stream.OnOutputCompleted(exception);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_stream.ResetReason is { } reset)
        {
            throw reset;
        }

        var flush = _inner.FlushAsync(cancellationToken);
        _stream.OnOutputFlushed();
        if (flush.IsCompletedSuccessfully)
        {
            return new ValueTask<FlushResult>(Checked(flush.Result));
        }

        return AwaitFlush(flush);
    }

    /// <summary>
    /// Copies at most one send buffer at a time, so a large write never sits in memory whole:
    /// each chunk waits for the window like any flush.
    /// </summary>
    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        if (source.Length <= _chunkSize)
        {
            _inner.Write(source.Span);
            return FlushAsync(cancellationToken);
        }

        return WriteChunksAsync(source, cancellationToken);
    }

    private async ValueTask<FlushResult> WriteChunksAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken)
    {
        while (true)
        {
            var length = Math.Min(source.Length, _chunkSize);
            _inner.Write(source.Span[..length]);
            source = source[length..];
            var result = await FlushAsync(cancellationToken).ConfigureAwait(false);
            if (source.IsEmpty || result.IsCanceled || result.IsCompleted)
            {
                return result;
            }
        }
    }

    private async ValueTask<FlushResult> AwaitFlush(ValueTask<FlushResult> flush) =>
        Checked(await flush.ConfigureAwait(false));

    /// <summary>A flush cancelled because of a reset (see <see cref="YamuxStream"/>) is the reset.</summary>
    private FlushResult Checked(FlushResult result)
    {
        if (result.IsCanceled && _stream.ResetReason is { } reset)
        {
            throw reset;
        }

        return result;
    }
}
