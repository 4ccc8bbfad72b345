// https://github.com/hashicorp/yamux/blob/master/spec.md#flow-control
namespace Overlay.Muxing.Yamux.FlowControl;

/// <summary>
/// The receive side of one stream's flow control: how much the remote may still send
/// (<see cref="Credit"/>), how much it sent that the application has not read yet
/// (<see cref="Unread"/>), and when to grant more. <c>Unread + Credit ≤ Window ≤ max</c> always
/// holds, so a stream never buffers more than its window.
/// <para>
/// Auto-tuning as go-yamux and js-libp2p-yamux do it: an update is due once half the window has
/// been read; if the previous update was used up in under four round trips, the window (not the
/// link) is the bottleneck and it doubles, up to the configured maximum.
/// </para>
/// Not thread-safe: the owning stream's lock guards every call.
/// </summary>
internal sealed class InboundWindow
{
    private readonly uint _max;
    private uint _window;
    private uint _credit;
    private long _unread;
    private long _epochStart;

    /// <param name="initial">The window we want; announced with the SYN or ACK when above the spec's.</param>
    /// <param name="max">The largest the window may grow to.</param>
    /// <param name="now">A <see cref="System.Diagnostics.Stopwatch"/> timestamp.</param>
    public InboundWindow(uint initial, uint max, long now)
    {
        _window = initial;
        _max = max;

        // Both sides start from the spec's window; anything above it is granted by our first update.
        _credit = YamuxOptions.SpecInitialWindow;
        _epochStart = now;
    }

    /// <summary>The current window size.</summary>
    public uint Window => _window;

    /// <summary>Bytes the remote may send before it needs another update.</summary>
    public uint Credit => _credit;

    /// <summary>Bytes received and not yet read by the application.</summary>
    public long Unread => _unread;

    /// <summary>True once half the window is free but not yet granted to the remote.</summary>
    public bool UpdateDue => Ungranted >= _window / 2;

    private long Ungranted => _window - _unread - _credit;

    /// <summary>A data frame of <paramref name="length"/> bytes arrived; false when the remote had no such credit.</summary>
    public bool TryReceive(uint length)
    {
        if (length > _credit)
        {
            return false;
        }

        _credit -= length;
        _unread += length;
        return true;
    }

    /// <summary>The application read <paramref name="count"/> bytes; returns <see cref="UpdateDue"/>.</summary>
    public bool Consume(long count)
    {
        _unread -= count;
        return UpdateDue;
    }

    /// <summary>
    /// The delta to announce now, or 0 when no update is due. <paramref name="force"/> announces
    /// whatever is ungranted (used with SYN/ACK) and never grows the window.
    /// </summary>
    /// <param name="now">A <see cref="System.Diagnostics.Stopwatch"/> timestamp.</param>
    /// <param name="roundTrip">The session's smoothed round trip in timestamp ticks; 0 when unknown.</param>
    public uint TakeUpdate(long now, long roundTrip, bool force)
    {
        if (!force && !UpdateDue)
        {
            return 0;
        }

        if (!force && roundTrip > 0 && now - _epochStart < roundTrip * 4)
        {
            _window = (uint)Math.Min((long)_window * 2, _max);
        }

        var delta = Ungranted;
        if (delta <= 0)
        {
            return 0;
        }

        _credit += (uint)delta;
        _epochStart = now;
        return (uint)delta;
    }
}
