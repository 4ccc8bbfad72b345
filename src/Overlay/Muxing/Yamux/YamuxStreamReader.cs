using System.Buffers;
using System.IO.Pipelines;

namespace Overlay.Muxing.Yamux;

/// <summary>
/// The application's view of a stream's inbound pipe. It forwards to the pipe and tells the
/// stream how many bytes each <see cref="AdvanceTo(SequencePosition, SequencePosition)"/>
/// consumed, which is what flow control grants back to the remote.
/// </summary>
internal sealed class YamuxStreamReader : PipeReader
{
    private readonly YamuxStream _stream;
    private readonly PipeReader _inner;
    private ReadOnlySequence<byte> _lastRead;

    public YamuxStreamReader(YamuxStream stream, PipeReader inner)
    {
        _stream = stream;
        _inner = inner;
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var read = _inner.ReadAsync(cancellationToken);
        if (read.IsCompletedSuccessfully)
        {
            var result = read.Result;
            _lastRead = result.Buffer;
            return new ValueTask<ReadResult>(result);
        }

        return AwaitRead(read);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!_inner.TryRead(out result))
        {
            return false;
        }

        _lastRead = result.Buffer;
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        // An empty read (cancelled, or ended) has nothing to count and positions that may not belong to it.
        var count = _lastRead.IsEmpty ? 0 : _lastRead.Slice(0, consumed).Length;
        _lastRead = default;
        _inner.AdvanceTo(consumed, examined);
        if (count > 0)
        {
            _stream.OnInputConsumed(count);
        }
    }

    public override void CancelPendingRead() => _inner.CancelPendingRead();

    public override void Complete(Exception? exception = null)
    {
        _lastRead = default;
        _inner.Complete(exception);
        _stream.OnInputCompleted();
    }

    private async ValueTask<ReadResult> AwaitRead(ValueTask<ReadResult> read)
    {
        var result = await read.ConfigureAwait(false);
        _lastRead = result.Buffer;
        return result;
    }
}
