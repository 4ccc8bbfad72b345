// https://github.com/hashicorp/yamux/blob/master/spec.md#message-flow
using System.Buffers;
using System.IO.Pipelines;
using Overlay.Muxing.Yamux.FlowControl;

namespace Overlay.Muxing.Yamux;

/// <summary>
/// One yamux stream. Data from the remote goes into <c>_inbound</c> (written by the session's
/// receive loop, read by the application through <see cref="YamuxStreamReader"/>, which reports
/// consumption to flow control); data to the remote goes into <c>_outbound</c> (written by the
/// application through <see cref="YamuxStreamWriter"/>, drained by the session's send loop within
/// the send window). The receive loop and the send loop never block on a stream.
/// <para>
/// Every field below is guarded by <c>_sync</c>, except the outbound reader, which only the send
/// loop touches. The inbound writer is used under <c>_sync</c> so a reset from any thread can
/// complete it.
/// </para>
/// </summary>
internal sealed partial class YamuxStream : IMuxedStream
{
    private readonly YamuxSession _session;
    private readonly Lock _sync = new();
    private readonly Pipe _inbound;
    private readonly Pipe _outbound;
    private readonly InboundWindow _receiveWindow;
    private readonly OutboundWindow _sendWindow = new();

    private OpenState _open;
    private bool _holdsAckSlot;
    private bool _finReceived;
    private bool _readAbandoned;
    private bool _inboundCompleted;
    private bool _localClosed;
    private bool _rstPending;
    private bool _windowUpdatePending;
    private StreamResetException? _reset;
    private int _scheduled;

    public YamuxStream(YamuxSession session, uint id, bool outbound, YamuxOptions options, long now)
    {
        _session = session;
        StreamId = id;
        IsOutbound = outbound;
        _open = outbound ? OpenState.SynPending : OpenState.AwaitingAccept;
        _holdsAckSlot = outbound;
        _receiveWindow = new InboundWindow(options.InitialStreamWindowSize, options.MaxStreamWindowSize, now);

        var pool = options.MemoryPool ?? MemoryPool<byte>.Shared;

        // The receive window bounds what can be buffered here, so the receive loop never waits.
        _inbound = new Pipe(new PipeOptions(
            pool,
            readerScheduler: PipeScheduler.ThreadPool,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 0,
            resumeWriterThreshold: 0,
            minimumSegmentSize: SegmentSize,
            useSynchronizationContext: false));

        // The send loop only polls with TryRead; the application's flush waits past the send buffer.
        _outbound = new Pipe(new PipeOptions(
            pool,
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.ThreadPool,
            pauseWriterThreshold: options.StreamSendBufferSize,
            resumeWriterThreshold: options.StreamSendBufferSize / 2,
            minimumSegmentSize: SegmentSize,
            useSynchronizationContext: false));

        Input = new YamuxStreamReader(this, _inbound.Reader);
        Output = new YamuxStreamWriter(this, _outbound.Writer, options.StreamSendBufferSize);
    }

    private enum OpenState
    {
        /// <summary>Ours; the SYN has not gone out yet.</summary>
        SynPending,

        /// <summary>The remote's; waiting for AcceptStreamAsync before we acknowledge it.</summary>
        AwaitingAccept,

        /// <summary>The remote's and accepted; the ACK has not gone out yet.</summary>
        AckPending,

        /// <summary>SYN or ACK sent.</summary>
        Open,
    }

    /// <summary>Large enough that a 64 KiB frame needs few segments, small enough for idle streams.</summary>
    private const int SegmentSize = 16 * 1024;

    public uint StreamId { get; }

    public long Id => StreamId;

    /// <summary>True for streams we opened.</summary>
    public bool IsOutbound { get; }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    internal StreamResetException? ResetReason => Volatile.Read(ref _reset);

    /// <summary>Bytes received and not yet read by the application (never more than the window).</summary>
    internal long BufferedInboundBytes
    {
        get
        {
            lock (_sync)
            {
                return _receiveWindow.Unread;
            }
        }
    }

    /// <summary>The current receive window (grows by auto-tuning).</summary>
    internal uint ReceiveWindow
    {
        get
        {
            lock (_sync)
            {
                return _receiveWindow.Window;
            }
        }
    }

    /// <summary>Bytes the remote currently lets us send.</summary>
    internal long SendWindow
    {
        get
        {
            lock (_sync)
            {
                return _sendWindow.Available;
            }
        }
    }

    public void Reset() => ResetCore(new StreamResetException(Id, remote: false, "reset locally"), sendRst: true);

    public async ValueTask DisposeAsync()
    {
        await Output.CompleteAsync().ConfigureAwait(false);
        await Input.CompleteAsync().ConfigureAwait(false);
    }

    public override string ToString() => $"yamux stream {StreamId} ({(IsOutbound ? "outbound" : "inbound")})";

    /// <summary>The session ended: the stream fails with its reason and nothing more is sent.</summary>
    internal void ResetBySession(MuxerClosedException reason) =>
        ResetCore(new StreamResetException(Id, reason.Kind != MuxerCloseKind.Local, "the connection ended", reason), sendRst: false);

    /// <summary>
    /// Aborts both directions: reads fail with <paramref name="reason"/> at once, the send loop
    /// drops unsent data, fails the writer and sends RST when <paramref name="sendRst"/> and the
    /// remote knows the stream.
    /// </summary>
    private void ResetCore(StreamResetException reason, bool sendRst)
    {
        bool releaseAckSlot;
        lock (_sync)
        {
            if (_reset is not null || (_localClosed && (_finReceived || _readAbandoned)))
            {
                return;
            }

            _reset = reason;
            // A stream whose SYN never went out is unknown to the remote: nothing to reset there.
            _rstPending = sendRst && _open != OpenState.SynPending;
            releaseAckSlot = _holdsAckSlot;
            _holdsAckSlot = false;
            CompleteInboundLocked(reason);
        }

        if (releaseAckSlot)
        {
            _session.ReleaseAckSlot();
        }

        // Wakes an application flush that waits for the send loop; the writer then throws the reset.
        _outbound.Writer.CancelPendingFlush();
        _session.RemoveStream(this);
        _session.Schedule(this);
    }

    /// <summary>Forgets the stream once neither side will send on it any more.</summary>
    private void RemoveIfFinished()
    {
        bool finished;
        lock (_sync)
        {
            finished = _localClosed && (_finReceived || _readAbandoned || _reset is not null);
        }

        if (finished)
        {
            _session.RemoveStream(this);
        }
    }

    private void CompleteInboundLocked(Exception? error)
    {
        if (!_inboundCompleted)
        {
            _inboundCompleted = true;
            _inbound.Writer.Complete(error);
        }
    }

    /// <summary>Marks the stream as queued for the send loop; false when it already is.</summary>
    internal bool TrySetScheduled() => Interlocked.Exchange(ref _scheduled, 1) == 0;

    internal void ClearScheduled() => Volatile.Write(ref _scheduled, 0);
}
