// https://github.com/hashicorp/yamux/blob/master/spec.md#framing
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Threading.Channels;
using Overlay.Manifest.Errors;
using Overlay.Muxing.Yamux.Frames;

namespace Overlay.Muxing.Yamux;

/// <summary>
/// The send loop: the only writer of the transport. Session control frames (pings, refusals)
/// go first; then streams that have something to send take turns, one frame each, so a bulk
/// stream cannot starve the others. The transport is flushed after every batch, which is where
/// its back-pressure reaches us.
/// </summary>
public sealed partial class YamuxSession
{
    /// <summary>Bytes written between flushes; bounds what sits in the transport's buffer unflushed.</summary>
    private const int FlushThreshold = 256 * 1024;

    private readonly ConcurrentQueue<YamuxFrame> _control = new();
    private readonly ConcurrentQueue<YamuxStream> _ready = new();

    // A wake-up signal: one slot, extra signals dropped; the loop drains all queues per wake-up.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private int _pendingRefusals;

    // Set by the receive loop while it waits for queued refusals to go out (see RefusalBackpressure).
    private TaskCompletionSource? _refusalsDrained;
    private int _pendingPingResponses;

    /// <summary>Queues <paramref name="stream"/> for the send loop unless it is queued already.</summary>
    internal void Schedule(YamuxStream stream)
    {
        if (stream.TrySetScheduled())
        {
            _ready.Enqueue(stream);
            _wake.Writer.TryWrite(true);
        }
    }

    private void EnqueueControl(YamuxFrame frame)
    {
        _control.Enqueue(frame);
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Receive loop: answers a SYN we will not take with RST.</summary>
    private void EnqueueRefusal(uint id)
    {
        var pending = Interlocked.Increment(ref _pendingRefusals);
        if (pending > _options.MaxPendingControlFrames)
        {
            // The remote keeps opening streams while not reading our refusals: a flood.
            throw new LimitExceededException(YamuxFrame.Format, "refused streams waiting to be sent", _options.MaxPendingControlFrames, pending);
        }

        EnqueueControl(YamuxFrame.WindowUpdate(id, YamuxFrameFlags.Rst, 0));
    }

    /// <summary>Receive loop: answers a ping request, or drops it if the remote is not reading our answers.</summary>
    private void EnqueuePingResponse(uint opaque)
    {
        if (Interlocked.Increment(ref _pendingPingResponses) > _options.MaxPendingPingResponses)
        {
            Interlocked.Decrement(ref _pendingPingResponses);
            return;
        }

        EnqueueControl(YamuxFrame.PingResponse(opaque));
    }

    private async Task SendLoopAsync()
    {
        var output = _transport.Output;
        var transportWritable = true;
        try
        {
            while (await _wake.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                _wake.Reader.TryRead(out _);
                if (WriteBatch(output) == 0)
                {
                    continue;
                }

                FlushResult flushed;
                try
                {
                    flushed = await output.FlushAsync(_closedToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_closedToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception error)
                {
                    transportWritable = false;
                    await TransportLostAsync(error).ConfigureAwait(false);
                    break;
                }

                if (flushed.IsCompleted)
                {
                    transportWritable = false;
                    await TransportLostAsync(null).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (Exception error)
        {
            Abort(new MuxerClosedException(MuxerCloseKind.InternalError, (uint)YamuxGoAwayCode.InternalError, "yamux send loop failed", error), YamuxGoAwayCode.InternalError);
        }
        finally
        {
            await FinishSendingAsync(output, transportWritable).ConfigureAwait(false);
        }
    }

    /// <summary>Writes control frames, then one frame per ready stream until the batch is full.</summary>
    private long WriteBatch(PipeWriter output)
    {
        long written = 0;
        while (_control.TryDequeue(out var frame))
        {
            WriteControl(output, frame);
            written += YamuxFrame.HeaderLength;
        }

        var now = Now;
        var roundTrip = RoundTripTicks;
        while (written < FlushThreshold && _ready.TryDequeue(out var stream))
        {
            stream.ClearScheduled();
            written += stream.WriteFrames(output, _options.MaxSendFrameSize, now, roundTrip, out var more);
            if (more)
            {
                Schedule(stream);
            }
        }

        if (!_ready.IsEmpty)
        {
            // The batch is full; come back for the rest after the flush.
            _wake.Writer.TryWrite(true);
        }

        return written;
    }

    private void WriteControl(PipeWriter output, YamuxFrame frame)
    {
        frame.WriteTo(output.GetSpan(YamuxFrame.HeaderLength));
        output.Advance(YamuxFrame.HeaderLength);
        if (frame.Type == YamuxFrameType.Ping && frame.HasFlag(YamuxFrameFlags.Ack))
        {
            Interlocked.Decrement(ref _pendingPingResponses);
        }
        else if (frame.HasFlag(YamuxFrameFlags.Rst))
        {
            if (Interlocked.Decrement(ref _pendingRefusals) <= _options.MaxPendingControlFrames / 2)
            {
                Volatile.Read(ref _refusalsDrained)?.TrySetResult();
            }
        }
    }

    /// <summary>
    /// The transport stopped taking our bytes. The remote may have sent a go-away just before
    /// that, which the receive loop is about to read; give it the chance to record the real
    /// reason before calling it a lost transport.
    /// </summary>
    private async Task TransportLostAsync(Exception? error)
    {
        try
        {
            await _receiveLoop.WaitAsync(_options.CloseTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The receive loop is still waiting for bytes; the write side alone says the transport is gone.
        }

        Abort(new MuxerClosedException(MuxerCloseKind.TransportClosed, null, "the transport stopped accepting writes", error), goAway: null);
    }

    /// <summary>Writes the go-away (bounded in time), completes the transport and fails the writers of streams still queued.</summary>
    private async Task FinishSendingAsync(PipeWriter output, bool transportWritable)
    {
        YamuxGoAwayCode? goAway;
        lock (_sync)
        {
            goAway = _goAwayToSend;
        }

        if (transportWritable && goAway is { } code)
        {
            try
            {
                WriteControl(output, YamuxFrame.GoAway(code));
                using var timeout = new CancellationTokenSource(_options.CloseTimeout);
                await output.FlushAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Best effort: the session is over whether or not the remote hears why.
            }
        }

        try
        {
            await output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A transport that fails while closing is closed all the same.
        }

        var reason = CloseReason ?? new MuxerClosedException(MuxerCloseKind.InternalError, null, "yamux send loop ended");
        while (_ready.TryDequeue(out var stream))
        {
            stream.AbandonOutput(reason);
        }
    }
}
