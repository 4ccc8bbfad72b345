// Spec: https://specs.ipfs.tech/unixfs/#mtime-field (message UnixTime)
namespace Overlay.Manifest.UnixFs;

/// <summary>
/// A UnixFS modification time: seconds from the Unix epoch (may be negative) and an optional
/// fraction in nanoseconds. On the wire the fraction is 1..999,999,999 or absent; a zero
/// fraction given here is dropped on encode, as the spec asks of encoders.
/// </summary>
public readonly record struct UnixFsTime(long Seconds, uint? Nanoseconds = null)
{
    public const uint MaxNanoseconds = 999_999_999;

    public static UnixFsTime FromDateTimeOffset(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }
        return new UnixFsTime(seconds, (uint)(remainder * 100));
    }
}
