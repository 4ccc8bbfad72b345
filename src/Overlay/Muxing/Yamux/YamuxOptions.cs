// https://github.com/libp2p/specs/blob/master/yamux/README.md
using System.Buffers;

namespace Overlay.Muxing.Yamux;

/// <summary>Limits and timings of a <see cref="YamuxSession"/>. Defaults follow the specs and go-yamux.</summary>
public sealed class YamuxOptions
{
    /// <summary>The window both sides assume for a new stream (spec, "Flow Control").</summary>
    public const uint SpecInitialWindow = 256 * 1024;

    public static YamuxOptions Default { get; } = new();

    /// <summary>
    /// The receive window we grant each new stream; at least <see cref="SpecInitialWindow"/>
    /// (go-yamux and js-libp2p-yamux refuse less). A stream never buffers more unread bytes than
    /// its current window, so this and <see cref="MaxStreamWindowSize"/> are also the per-stream
    /// buffer limits.
    /// </summary>
    public uint InitialStreamWindowSize { get; init; } = SpecInitialWindow;

    /// <summary>The largest a stream's receive window grows to by auto-tuning (16 MiB as go-yamux and js-libp2p-yamux).</summary>
    public uint MaxStreamWindowSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// Streams the remote may have open at once; a SYN past this is answered with RST (go-yamux
    /// does the same for its MaxIncomingStreams). 256 is go-libp2p's default per-peer inbound
    /// stream limit.
    /// </summary>
    public int MaxConcurrentStreams { get; init; } = 256;

    /// <summary>
    /// Remote-opened streams waiting for AcceptStreamAsync; a SYN past this is answered with RST.
    /// We acknowledge a stream only when it is accepted, so this is the ACK backlog of the libp2p
    /// yamux spec ("SHOULD at most allow an ACK backlog of 256 streams").
    /// </summary>
    public int AcceptBacklog { get; init; } = 256;

    /// <summary>
    /// Our own streams the remote has not acknowledged yet; OpenStreamAsync waits past this
    /// (the libp2p yamux spec's ACK backlog of 256).
    /// </summary>
    public int MaxUnacknowledgedStreams { get; init; } = 256;

    /// <summary>Largest data frame we send; 64 KiB as go-yamux and js-libp2p-yamux, so one stream cannot hog the connection.</summary>
    public int MaxSendFrameSize { get; init; } = 64 * 1024;

    /// <summary>
    /// Bytes a stream's writer may have handed over but not yet sent (waiting for window or for
    /// the connection) before its flush waits; larger writes are taken in pieces of this size.
    /// Bytes in flight sit in the transport, not here, so this need not grow with the window;
    /// 64 KiB is Kestrel's default response buffer and measured as fast as larger ones.
    /// </summary>
    public int StreamSendBufferSize { get; init; } = 64 * 1024;

    /// <summary>How often to ping the remote (30 s as go-yamux and js-libp2p-yamux); null turns keep-alive off.</summary>
    public TimeSpan? KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a keep-alive ping may go unanswered before the session ends (go-yamux's 10 s write timeout).</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long closing waits to hand the go-away to a transport that is not draining.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Ping responses we queue for a remote that is not reading; pings past it are dropped
    /// (go-yamux's ping backlog of 32).
    /// </summary>
    public int MaxPendingPingResponses { get; init; } = 32;

    /// <summary>Control frames (RSTs for refused streams, pings) queued for a remote that is not reading.</summary>
    public int MaxPendingControlFrames { get; init; } = 1024;

    /// <summary>
    /// With <see cref="MaxPendingControlFrames"/> refusals queued, reading pauses until they are
    /// sent; a remote that does not read them for this long is flooding and the session ends.
    /// </summary>
    public TimeSpan RefusalDrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where stream buffers come from; null uses <see cref="MemoryPool{T}.Shared"/>.</summary>
    public MemoryPool<byte>? MemoryPool { get; init; }

    internal void Validate()
    {
        if (InitialStreamWindowSize < SpecInitialWindow)
        {
            throw new ArgumentException($"{nameof(InitialStreamWindowSize)} must be at least {SpecInitialWindow}", nameof(InitialStreamWindowSize));
        }

        if (MaxStreamWindowSize < InitialStreamWindowSize)
        {
            throw new ArgumentException($"{nameof(MaxStreamWindowSize)} must be at least {nameof(InitialStreamWindowSize)}", nameof(MaxStreamWindowSize));
        }

        RequirePositive(MaxConcurrentStreams, nameof(MaxConcurrentStreams));
        RequirePositive(AcceptBacklog, nameof(AcceptBacklog));
        RequirePositive(MaxUnacknowledgedStreams, nameof(MaxUnacknowledgedStreams));
        RequirePositive(MaxSendFrameSize, nameof(MaxSendFrameSize));
        RequirePositive(StreamSendBufferSize, nameof(StreamSendBufferSize));
        RequirePositive(MaxPendingPingResponses, nameof(MaxPendingPingResponses));
        RequirePositive(MaxPendingControlFrames, nameof(MaxPendingControlFrames));
        if (RefusalDrainTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(RefusalDrainTimeout)} must be positive", nameof(RefusalDrainTimeout));
        }

        if (KeepAliveInterval is { } interval && interval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(KeepAliveInterval)} must be positive or null", nameof(KeepAliveInterval));
        }

        if (KeepAliveTimeout <= TimeSpan.Zero || CloseTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("timeouts must be positive");
        }
    }

    private static void RequirePositive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{name} must be positive", name);
        }
    }
}
