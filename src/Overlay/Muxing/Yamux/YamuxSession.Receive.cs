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
                try
                {
                    Process(ref buffer);
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (CloseReason is not null)
                {
                    return;
                }

                if (result.IsCompleted)
                {
                    var where = buffer.IsEmpty && _payloadRemaining == 0 ? "between frames" : "inside a frame";
                    Abort(new MuxerClosedException(MuxerCloseKind.TransportClosed, null, $"the transport ended {where} without a go-away"), YamuxGoAwayCode.Normal);
                    return;
                }
            }
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

    /// <summary>Handles every whole header and every payload byte in <paramref name="buffer"/>.</summary>
    private void Process(ref ReadOnlySequence<byte> buffer)
    {
        while (CloseReason is null)
        {
            if (_payloadRemaining > 0)
            {
                if (buffer.IsEmpty)
                {
                    return;
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

            if (!YamuxFrame.TryRead(ref buffer, _options.MaxStreamWindowSize, out var frame))
            {
                return;
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
