// https://github.com/hashicorp/yamux/blob/master/spec.md#flow-control
using System.Buffers;
using Overlay.Manifest.Errors;
using Overlay.Muxing.Yamux.Frames;

namespace Overlay.Muxing.Yamux;

/// <summary>What the session's receive loop and the application's reads do to a stream.</summary>
internal sealed partial class YamuxStream
{
    /// <summary>Accepted by AcceptStreamAsync: the ACK goes out next. False when the stream was reset meanwhile.</summary>
    internal bool TryAccept()
    {
        lock (_sync)
        {
            if (_reset is not null)
            {
                return false;
            }

            _open = OpenState.AckPending;
        }

        _session.Schedule(this);
        return true;
    }

    /// <summary>The remote acknowledged our SYN.</summary>
    internal void OnAcknowledged()
    {
        bool release;
        lock (_sync)
        {
            release = _holdsAckSlot;
            _holdsAckSlot = false;
        }

        if (release)
        {
            _session.ReleaseAckSlot();
        }
    }

    /// <summary>
    /// A data frame header for this stream: takes the length out of the receive window. Returns
    /// true when the payload is to be delivered, false when it is to be dropped. A frame larger
    /// than the window breaks flow control for the whole session and throws; data after the
    /// remote's FIN breaks only this stream, which is reset.
    /// </summary>
    internal bool OnDataHeader(uint length)
    {
        bool afterFin;
        lock (_sync)
        {
            if (_reset is not null)
            {
                return false;
            }

            afterFin = _finReceived && length > 0;
            if (!afterFin)
            {
                if (!_receiveWindow.TryReceive(length))
                {
                    throw new LimitExceededException(YamuxFrame.Format, $"data frame length on stream {StreamId} (receive window)", _receiveWindow.Credit, length);
                }

                if (!_readAbandoned)
                {
                    return true;
                }

                // Nobody reads any more: drop the bytes but keep granting window so the remote does not stall.
                if (_receiveWindow.Consume(length) && !_windowUpdatePending)
                {
                    _windowUpdatePending = true;
                }
            }
        }

        if (afterFin)
        {
            ResetCore(new StreamResetException(Id, remote: false, "the remote sent data after its FIN"), sendRst: true);
        }
        else
        {
            _session.Schedule(this);
        }

        return false;
    }

    /// <summary>Part of a data frame's payload (already counted against the window).</summary>
    internal void Deliver(in ReadOnlySequence<byte> payload)
    {
        lock (_sync)
        {
            if (_inboundCompleted)
            {
                return;
            }

            var writer = _inbound.Writer;
            foreach (var segment in payload)
            {
                writer.Write(segment.Span);
            }

            // The pipe never pauses (pauseWriterThreshold 0), so this flush completes at once.
            var flush = writer.FlushAsync();
            if (!flush.IsCompleted)
            {
                throw new InvalidOperationException("the inbound pipe of a yamux stream must never pause");
            }

            flush.GetAwaiter().GetResult();
        }
    }

    /// <summary>The remote half-closed: reads end after the data already received.</summary>
    internal void OnFin()
    {
        lock (_sync)
        {
            if (_finReceived || _reset is not null)
            {
                return;
            }

            _finReceived = true;
            CompleteInboundLocked(null);
        }

        RemoveIfFinished();
    }

    internal void OnRemoteReset() =>
        ResetCore(new StreamResetException(Id, remote: true, "reset by the remote"), sendRst: false);

    /// <summary>The remote grants more send window.</summary>
    internal void OnWindowUpdate(uint delta)
    {
        if (delta == 0)
        {
            return;
        }

        lock (_sync)
        {
            if (_reset is not null)
            {
                return;
            }

            if (!_sendWindow.TryGrow(delta))
            {
                throw new LimitExceededException(YamuxFrame.Format, $"send window of stream {StreamId}", uint.MaxValue, _sendWindow.Available + delta);
            }
        }

        _session.Schedule(this);
    }

    /// <summary>The application consumed <paramref name="count"/> bytes (from <see cref="YamuxStreamReader"/>).</summary>
    internal void OnInputConsumed(long count)
    {
        lock (_sync)
        {
            if (!_receiveWindow.Consume(count) || _finReceived || _reset is not null || _windowUpdatePending)
            {
                return;
            }

            _windowUpdatePending = true;
        }

        _session.Schedule(this);
    }

    /// <summary>
    /// The application stopped reading. What was buffered is dropped and granted back, and later
    /// data is dropped as it comes, so a remote that still writes is not stalled forever.
    /// </summary>
    internal void OnInputCompleted()
    {
        lock (_sync)
        {
            if (_readAbandoned)
            {
                return;
            }

            _readAbandoned = true;
            if (!_finReceived && _reset is null && _receiveWindow.Consume(_receiveWindow.Unread))
            {
                _windowUpdatePending = true;
            }

            CompleteInboundLocked(null);
        }

        _session.Schedule(this);
        RemoveIfFinished();
    }
}
