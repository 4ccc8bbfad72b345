// https://github.com/hashicorp/yamux/blob/master/spec.md#opening-a-stream
using System.Buffers;
using System.IO.Pipelines;
using Overlay.Muxing.Yamux.Frames;

namespace Overlay.Muxing.Yamux;

/// <summary>What the session's send loop does for a stream, and what the application's writes do.</summary>
internal sealed partial class YamuxStream
{
    private bool _outboundCompleted;

    /// <summary>The application flushed or completed its writer: the send loop has work.</summary>
    internal void OnOutputFlushed() => _session.Schedule(this);

    /// <summary>The application completed its writer; with an error that is a reset, otherwise a FIN once the data is out.</summary>
    internal void OnOutputCompleted(Exception? error)
    {
        if (error is not null)
        {
            ResetCore(new StreamResetException(Id, remote: false, "the writer failed", error), sendRst: true);
            return;
        }

        _session.Schedule(this);
    }

    /// <summary>
    /// Send loop only. Writes what is due for this stream into <paramref name="output"/>: SYN or
    /// ACK with a window update, then at most one data frame within the send window (and an empty
    /// FIN frame after the last one), or an RST after a reset. Never blocks.
    /// </summary>
    /// <param name="more">True when data and window are left for another turn.</param>
    /// <returns>Bytes written.</returns>
    internal int WriteFrames(PipeWriter output, int maxFrameSize, long now, long roundTrip, out bool more)
    {
        more = false;
        YamuxFrameFlags openFlags = YamuxFrameFlags.None;
        uint delta = 0;
        long window;
        StreamResetException? reset;
        bool sendRst = false;

        lock (_sync)
        {
            if (_reset is not null)
            {
                reset = _reset;
                sendRst = _rstPending;
                _rstPending = false;
                _localClosed = true;
                window = 0;
            }
            else
            {
                reset = null;
                openFlags = _open switch
                {
                    OpenState.SynPending => YamuxFrameFlags.Syn,
                    OpenState.AckPending => YamuxFrameFlags.Ack,
                    _ => YamuxFrameFlags.None,
                };
                if (openFlags != YamuxFrameFlags.None)
                {
                    _open = OpenState.Open;
                }

                var force = openFlags != YamuxFrameFlags.None;
                if (!_finReceived && (force || _windowUpdatePending))
                {
                    delta = _receiveWindow.TakeUpdate(now, roundTrip, force);
                }

                _windowUpdatePending = false;
                window = _sendWindow.Available;
            }
        }

        if (reset is not null)
        {
            var written = 0;
            if (sendRst)
            {
                written = WriteHeader(output, YamuxFrame.WindowUpdate(StreamId, YamuxFrameFlags.Rst, 0));
            }

            CompleteOutbound(reset);
            return written;
        }

        var total = 0;
        if (openFlags != YamuxFrameFlags.None || delta != 0)
        {
            total += WriteHeader(output, YamuxFrame.WindowUpdate(StreamId, openFlags, delta));
        }

        // After our FIN the remote may still be sending: window updates go on, data does not.
        return _outboundCompleted ? total : total + WriteData(output, maxFrameSize, window, out more);
    }

    /// <summary>Send loop only: the session is over; fails the writer if the stream never finished.</summary>
    internal void AbandonOutput(Exception reason)
    {
        lock (_sync)
        {
            _localClosed = true;
        }

        CompleteOutbound(reason);
    }

    private int WriteData(PipeWriter output, int maxFrameSize, long window, out bool more)
    {
        more = false;
        ReadResult result;
        try
        {
            if (!_outbound.Reader.TryRead(out result))
            {
                return 0;
            }
        }
        catch (Exception error) when (error is not InvalidOperationException)
        {
            // The application completed its writer with an error: that is a reset.
            OnOutputCompleted(error);
            return 0;
        }

        var buffer = result.Buffer;
        var length = (int)Math.Min(Math.Min(buffer.Length, window), maxFrameSize);
        var fin = result.IsCompleted && length == buffer.Length;
        var written = 0;

        if (length > 0)
        {
            written += WriteHeader(output, YamuxFrame.Data(StreamId, YamuxFrameFlags.None, (uint)length));
            foreach (var segment in buffer.Slice(0, length))
            {
                output.Write(segment.Span);
            }

            written += length;
        }

        if (fin)
        {
            // FIN goes in its own empty frame, as go-yamux and js-libp2p-yamux send it: js-libp2p-yamux
            // closes the readable side before delivering a data frame's payload, so FIN riding on
            // data loses that data.
            written += WriteHeader(output, YamuxFrame.WindowUpdate(StreamId, YamuxFrameFlags.Fin, 0));
        }

        // Examined = consumed: TryRead only reports bytes not yet examined, and what is left must be seen again.
        var consumed = buffer.GetPosition(length);
        _outbound.Reader.AdvanceTo(consumed, consumed);

        lock (_sync)
        {
            _sendWindow.Consume(length);
            if (fin)
            {
                _localClosed = true;
            }

            more = !fin && buffer.Length > length && _sendWindow.Available > 0;
        }

        if (fin)
        {
            CompleteOutbound(null);
            RemoveIfFinished();
        }

        return written;
    }

    private void CompleteOutbound(Exception? error)
    {
        if (!_outboundCompleted)
        {
            _outboundCompleted = true;
            _outbound.Reader.Complete(error);
        }
    }

    private static int WriteHeader(PipeWriter output, YamuxFrame frame)
    {
        frame.WriteTo(output.GetSpan(YamuxFrame.HeaderLength));
        output.Advance(YamuxFrame.HeaderLength);
        return YamuxFrame.HeaderLength;
    }
}
