// https://github.com/hashicorp/yamux/blob/master/spec.md#type-field
using System.Diagnostics;
using Overlay.Muxing.Yamux.Frames;

namespace Overlay.Muxing.Yamux;

/// <summary>
/// Pings: answering the remote's, measuring the round trip (which window auto-tuning needs) and
/// keep-alive. One ping of ours is in flight at a time; callers that ask meanwhile share it
/// (js-libp2p-yamux treats an answer to a ping it did not send as a protocol error, so we only
/// ever answer what was asked and ask one thing at a time).
/// </summary>
public sealed partial class YamuxSession
{
    private PendingPing? _activePing;
    private uint _nextPingId;
    private long _roundTripTicks;

    /// <summary>The smoothed round trip in <see cref="Stopwatch"/> ticks; 0 until the first ping returns.</summary>
    internal long RoundTripTicks => Volatile.Read(ref _roundTripTicks);

    /// <summary>The smoothed round trip, or null until the first ping has been answered.</summary>
    public TimeSpan? RoundTrip => RoundTripTicks is var ticks and > 0 ? Stopwatch.GetElapsedTime(0, ticks) : null;

    /// <summary>Sends a ping (or joins the one in flight) and returns its round trip.</summary>
    public Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        PendingPing ping;
        var send = false;
        lock (_sync)
        {
            if (_closeReason is { } reason)
            {
                return Task.FromException<TimeSpan>(reason);
            }

            if (_activePing is null)
            {
                _activePing = new PendingPing(_nextPingId++, Now);
                send = true;
            }

            ping = _activePing;
        }

        if (send)
        {
            EnqueueControl(YamuxFrame.PingRequest(ping.Id));
        }

        return ping.Completion.Task.WaitAsync(cancellationToken);
    }

    private void OnPing(YamuxFrame frame)
    {
        if (frame.HasFlag(YamuxFrameFlags.Syn))
        {
            EnqueuePingResponse(frame.Length);
            return;
        }

        PendingPing? answered = null;
        TimeSpan roundTrip = default;
        lock (_sync)
        {
            // An answer to nothing we asked (or to an older ping) is ignored, as go-yamux does.
            if (_activePing is { } active && active.Id == frame.Length)
            {
                answered = active;
                _activePing = null;
                var sample = Now - active.SentAt;
                var previous = _roundTripTicks;
                Volatile.Write(ref _roundTripTicks, previous == 0 ? Math.Max(sample, 1) : Math.Max((previous + sample) / 2, 1));
                roundTrip = Stopwatch.GetElapsedTime(active.SentAt);
            }
        }

        answered?.Completion.TrySetResult(roundTrip);
    }

    private void FailPing(MuxerClosedException reason)
    {
        PendingPing? active;
        lock (_sync)
        {
            active = _activePing;
            _activePing = null;
        }

        active?.Completion.TrySetException(reason);
    }

    /// <summary>
    /// Measures the round trip at once (auto-tuning needs it), then pings every keep-alive
    /// interval; a ping unanswered within the keep-alive timeout ends the session.
    /// </summary>
    private async Task KeepAliveLoopAsync()
    {
        try
        {
            if (_options.KeepAliveInterval is not { } interval)
            {
                await PingAsync(_closedToken).ConfigureAwait(false);
                return;
            }

            await PingOrGiveUpAsync().ConfigureAwait(false);
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(_closedToken).ConfigureAwait(false))
            {
                await PingOrGiveUpAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_closedToken.IsCancellationRequested)
        {
        }
        catch (MuxerClosedException)
        {
        }
    }

    private async Task PingOrGiveUpAsync()
    {
        try
        {
            await PingAsync(_closedToken).WaitAsync(_options.KeepAliveTimeout, _closedToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Abort(new MuxerClosedException(MuxerCloseKind.KeepAliveTimeout, (uint)YamuxGoAwayCode.Normal, $"no answer to a keep-alive ping within {_options.KeepAliveTimeout}"), YamuxGoAwayCode.Normal);
        }
    }

    private sealed class PendingPing(uint id, long sentAt)
    {
        public uint Id { get; } = id;

        public long SentAt { get; } = sentAt;

        public TaskCompletionSource<TimeSpan> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
