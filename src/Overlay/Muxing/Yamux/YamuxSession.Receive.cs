// https://github.com/hashicorp/yamux/blob/master/spec.md#framing
using System.Buffers;
using System.IO.Pipelines;
using Overlay.Manifest.Errors;
using Overlay.Muxing.Yamux.Frames;

namespace Overlay.Muxing.Yamux;

/// <summary>
/// The receive loop: reads frame headers from the transport, validates each before looking at a
/// payload byte, and streams data payloads into their stream as they arrive (a payload is never
/// buffered whole, so a frame's size costs no memory here).
/// </summary>
public sealed partial class YamuxSession
{
    // State of the data payload being received; only the receive loop touches these.
    private long _payloadRemaining;
    private YamuxStream? _payloadTarget;
    private YamuxStream? _payloadFinTarget;

    private async Task ReceiveLoopAsync()
    {
        var input = _transport.Input;
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await input.ReadAsync(_closedToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_closedToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception error)
                {
                    Abort(new MuxerClosedException(MuxerCloseKind.TransportClosed, null, "the transport failed while reading", error), YamuxGoAwayCode.Normal);
                    return;
                }

                var buffer = result.Buffer;
                var paused = false;
                try
                {
                    paused = Process(ref buffer);
                }
                finally
                {
                    // When paused, what is left was not examined: the next read must return it at once.
                    input.AdvanceTo(buffer.Start, paused ? buffer.Start : buffer.End);
                }

                if (CloseReason is not null)
                {
                    return;
                }

                if (paused)
                {
                    await WaitForRefusalsToDrainAsync().ConfigureAwait(false);
                    continue;
                }

                if (result.IsCompleted)
                {
                    var where = buffer.IsEmpty && _payloadRemaining == 0 ? "between frames" : "inside a frame";
                    Abort(new MuxerClosedException(MuxerCloseKind.TransportClosed, null, $"the transport ended {where} without a go-away"), YamuxGoAwayCode.Normal);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_closedToken.IsCancellationRequested)
        {
            // Closed while waiting for refusals to drain; the closer recorded the reason.
        }
        catch (MalformedDataException error)
        {
            Abort(new MuxerClosedException(MuxerCloseKind.ProtocolViolation, (uint)YamuxGoAwayCode.ProtocolError, $"yamux protocol violation: {error.Message}", error), YamuxGoAwayCode.ProtocolError);
        }
        catch (Exception error)
        {
            Abort(new MuxerClosedException(MuxerCloseKind.InternalError, (uint)YamuxGoAwayCode.InternalError, "yamux receive loop failed", error), YamuxGoAwayCode.InternalError);
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Handles every whole header and every payload byte in <paramref name="buffer"/>; returns true
    /// when it stopped early because the refusals it queued have not been sent yet.
    /// </summary>
    private bool Process(ref ReadOnlySequence<byte> buffer)
    {
        while (CloseReason is null)
        {
            if (_payloadRemaining > 0)
            {
                if (buffer.IsEmpty)
                {
                    return false;
                }

                var length = Math.Min(_payloadRemaining, buffer.Length);
                _payloadTarget?.Deliver(buffer.Slice(0, length));
                buffer = buffer.Slice(length);
                _payloadRemaining -= length;
                if (_payloadRemaining == 0)
                {
                    EndPayload();
                }

                continue;
            }

            if (Volatile.Read(ref _pendingRefusals) >= _options.MaxPendingControlFrames)
            {
                return true;
            }

            if (!YamuxFrame.TryRead(ref buffer, _options.MaxStreamWindowSize, out var frame))
            {
                return false;
            }

            switch (frame.Type)
            {
                case YamuxFrameType.Data:
                case YamuxFrameType.WindowUpdate:
                    OnStreamFrame(frame);
                    break;
                case YamuxFrameType.Ping:
                    OnPing(frame);
                    break;
                case YamuxFrameType.GoAway:
                    OnGoAway(frame);
                    break;
            }
        }
        return false;
    }

    /// <summary>
    /// A burst of SYNs past the accept backlog queues one RST each; the receive loop waits here
    /// until the send loop has written half of them, so an honest burst is answered in full. A
    /// remote that stops reading keeps them queued: after RefusalDrainTimeout that is a flood.
    /// </summary>
    private async Task WaitForRefusalsToDrainAsync()
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _refusalsDrained, drained);
        try
        {
            if (Volatile.Read(ref _pendingRefusals) > _options.MaxPendingControlFrames / 2)
            {
                _wake.Writer.TryWrite(true);
                await drained.Task.WaitAsync(_options.RefusalDrainTimeout, _closedToken).ConfigureAwait(false);
            }
        }
        catch (TimeoutException)
        {
            throw new LimitExceededException(YamuxFrame.Format, "refused streams waiting to be sent", _options.MaxPendingControlFrames, Volatile.Read(ref _pendingRefusals));
        }
        finally
        {
            Volatile.Write(ref _refusalsDrained, null);
        }
    }

    private void OnStreamFrame(YamuxFrame frame)
    {
        var isData = frame.Type == YamuxFrameType.Data;
        var stream = frame.HasFlag(YamuxFrameFlags.Syn)
            ? OpenInboundStream(frame.StreamId)
            : FindStream(frame.StreamId);

        if (stream is null)
        {
            // A stream we refused, reset or finished: frames in flight are dropped. The length of
            // a data frame was already bounded by the largest window we ever grant.
            if (isData)
            {
                StartPayload(frame.Length, target: null, finTarget: null);
            }

            return;
        }

        if (frame.HasFlag(YamuxFrameFlags.Ack))
        {
            stream.OnAcknowledged();
        }

        if (frame.HasFlag(YamuxFrameFlags.Rst))
        {
            stream.OnRemoteReset();
            if (isData)
            {
                StartPayload(frame.Length, target: null, finTarget: null);
            }

            return;
        }

        var fin = frame.HasFlag(YamuxFrameFlags.Fin) ? stream : null;
        if (isData)
        {
            var deliver = stream.OnDataHeader(frame.Length);
            StartPayload(frame.Length, deliver ? stream : null, fin);
        }
        else
        {
            stream.OnWindowUpdate(frame.Length);
            fin?.OnFin();
        }
    }

    /// <summary>The next <paramref name="length"/> bytes go to <paramref name="target"/> (null: dropped); then the FIN, if any, applies.</summary>
    private void StartPayload(uint length, YamuxStream? target, YamuxStream? finTarget)
    {
        _payloadRemaining = length;
        _payloadTarget = target;
        _payloadFinTarget = finTarget;
        if (length == 0)
        {
            EndPayload();
        }
    }

    private void EndPayload()
    {
        var fin = _payloadFinTarget;
        _payloadTarget = null;
        _payloadFinTarget = null;
        fin?.OnFin();
    }

    private void OnGoAway(YamuxFrame frame)
    {
        lock (_sync)
        {
            _remoteGoAwayCode = frame.Length;
        }

        var name = Enum.IsDefined((YamuxGoAwayCode)frame.Length) ? ((YamuxGoAwayCode)frame.Length).ToString() : "unknown";
        Abort(new MuxerClosedException(MuxerCloseKind.RemoteGoAway, frame.Length, $"the remote went away with code {frame.Length} ({name})"), goAway: null);
    }
}
