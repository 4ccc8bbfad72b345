// https://github.com/libp2p/specs/blob/master/yamux/README.md
using System.Diagnostics;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace Overlay.Muxing.Yamux;

/// <summary>
/// A yamux session over a secured connection. The session owns the transport: it runs one
/// receive loop and one send loop over it (plus a keep-alive timer loop), and completes both
/// directions when it ends. Every background task is awaited by <see cref="CloseAsync"/> and
/// <see cref="DisposeAsync"/>.
/// <para>
/// Choices where the specs leave room (each matches go-yamux unless said otherwise):
/// a SYN past <see cref="YamuxOptions.MaxConcurrentStreams"/> or
/// <see cref="YamuxOptions.AcceptBacklog"/> is answered with RST and the session goes on; a
/// burst of SYNs that fills <see cref="YamuxOptions.MaxPendingControlFrames"/> with refusals
/// pauses reading until they are sent, and a remote that does not read them within
/// <see cref="YamuxOptions.RefusalDrainTimeout"/> is cut off with a protocol-error go-away. A data frame larger
/// than the stream's receive window, an unknown version or type, or a SYN with our parity or
/// for an open stream is a protocol error (go-away 1, then close). Data after the remote's FIN
/// resets only that stream. A go-away from the remote ends the session at once (streams still
/// open are reset), as go-yamux and js-libp2p-yamux do. Streams are acknowledged when the
/// application accepts them, so an application that stops accepting slows a well-behaved
/// remote down through its ACK backlog.
/// </para>
/// </summary>
public sealed partial class YamuxSession : IMuxedConnection
{
    /// <summary>The multistream-select protocol id.</summary>
    public const string ProtocolId = "/yamux/1.0.0";

    private readonly IDuplexPipe _transport;
    private readonly YamuxOptions _options;
    private readonly Lock _sync = new();
    private readonly CancellationTokenSource _closedSource = new();
    private readonly CancellationToken _closedToken;
    private readonly Task _receiveLoop;
    private readonly Task _sendLoop;
    private readonly Task _keepAliveLoop;

    private MuxerClosedException? _closeReason;
    private YamuxGoAwayCode? _goAwayToSend;
    private uint? _remoteGoAwayCode;
    private int _disposed;

    /// <param name="transport">The secured connection; the session owns it from now on.</param>
    /// <param name="isInitiator">True on the side that dialed (it opens odd stream ids, the listener even ones).</param>
    /// <param name="options">Limits and timings; null for <see cref="YamuxOptions.Default"/>.</param>
    public YamuxSession(IDuplexPipe transport, bool isInitiator, YamuxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _options = options ?? YamuxOptions.Default;
        _options.Validate();
        _transport = transport;
        IsInitiator = isInitiator;
        _nextStreamId = isInitiator ? 1u : 2u;
        _unacknowledged = new SemaphoreSlim(_options.MaxUnacknowledgedStreams);
        _closedToken = _closedSource.Token;

        _receiveLoop = Task.Run(ReceiveLoopAsync);
        _sendLoop = Task.Run(SendLoopAsync);
        _keepAliveLoop = Task.Run(KeepAliveLoopAsync);
    }

    public bool IsInitiator { get; }

    public CancellationToken Closed => _closedToken;

    public MuxerClosedException? CloseReason => Volatile.Read(ref _closeReason);

    public uint? RemoteGoAwayCode
    {
        get
        {
            lock (_sync)
            {
                return _remoteGoAwayCode;
            }
        }
    }

    /// <summary>Completes when the receive, send and keep-alive loops have all ended.</summary>
    internal Task Completion => Task.WhenAll(_receiveLoop, _sendLoop, _keepAliveLoop);

    public async ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        Abort(new MuxerClosedException(MuxerCloseKind.Local, (uint)YamuxGoAwayCode.Normal, "yamux session closed locally"), YamuxGoAwayCode.Normal);
        await Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await CloseAsync().ConfigureAwait(false);
        _closedSource.Dispose();
    }

    /// <summary>
    /// Ends the session once: records why, resets every stream, stops the loops (the send loop
    /// still writes <paramref name="goAway"/> if given) and fires <see cref="Closed"/>.
    /// </summary>
    private void Abort(MuxerClosedException reason, YamuxGoAwayCode? goAway)
    {
        YamuxStream[] open;
        lock (_sync)
        {
            if (_closeReason is not null)
            {
                return;
            }

            _closeReason = reason;
            _goAwayToSend = goAway;
            open = [.. _streams.Values];
            _streams.Clear();
        }

        _accepted.Writer.TryComplete();
        foreach (var stream in open)
        {
            stream.ResetBySession(reason);
        }

        FailPing(reason);
        _wake.Writer.TryComplete();

        try
        {
            _closedSource.Cancel();
        }
        catch (AggregateException)
        {
            // Callbacks registered on Closed belong to the application; their failures must not
            // stop the session from shutting down, and there is no one here to report them to.
        }
    }

    private static long Now => Stopwatch.GetTimestamp();
}
