// https://github.com/hashicorp/yamux/blob/master/spec.md#flow-control
namespace Overlay.Muxing.Yamux.FlowControl;

/// <summary>
/// The send side of one stream's flow control: how many data bytes the remote lets us send.
/// Starts at the spec's 256 KiB and grows with every window update. Not thread-safe: the owning
/// stream's lock guards every call.
/// </summary>
internal sealed class OutboundWindow
{
    private long _available = YamuxOptions.SpecInitialWindow;

    public long Available => _available;

    /// <summary>
    /// Adds a window update. False when the window would pass 2^32-1 bytes: no receiver can
    /// have granted that, since its own window is a 32-bit count.
    /// </summary>
    public bool TryGrow(uint delta)
    {
        if (_available + delta > uint.MaxValue)
        {
            return false;
        }

        _available += delta;
        return true;
    }

    public void Consume(int count) => _available -= count;
}
