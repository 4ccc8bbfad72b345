using System.Globalization;

namespace Overlay.Gateway.Admin;

/// <summary>
/// Formats a duration the way Go's <c>time.Duration.String</c> reads ("950ns", "412.5µs",
/// "1.234ms", "2.5s"), which is how kubo shows latencies; precision stops at the microsecond.
/// </summary>
internal static class GoDuration
{
    public static string Format(TimeSpan duration)
    {
        var nanoseconds = duration.Ticks * 100.0;
        return nanoseconds switch
        {
            < 1_000 => nanoseconds.ToString("0", CultureInfo.InvariantCulture) + "ns",
            < 1_000_000 => (nanoseconds / 1_000).ToString("0.###", CultureInfo.InvariantCulture) + "µs",
            < 1_000_000_000 => (nanoseconds / 1_000_000).ToString("0.###", CultureInfo.InvariantCulture) + "ms",
            _ => (nanoseconds / 1_000_000_000).ToString("0.######", CultureInfo.InvariantCulture) + "s",
        };
    }
}
