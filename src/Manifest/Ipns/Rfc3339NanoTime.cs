// Spec: https://www.rfc-editor.org/rfc/rfc3339#section-5.6, as IPNS uses it for Validity
// ("1970-01-01T00:00:00.000000001Z", nanosecond precision).
using System.Globalization;
using System.Text;
using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Ipns;

/// <summary>
/// An instant with nanosecond precision. .NET ticks are 100 ns, so the last two decimal digits
/// live in <see cref="SubTickNanoseconds"/>; ordering uses both.
/// </summary>
internal readonly record struct Rfc3339NanoTime(DateTimeOffset Instant, int SubTickNanoseconds) : IComparable<Rfc3339NanoTime>
{
    public static Rfc3339NanoTime FromDateTimeOffset(DateTimeOffset instant) => new(instant.ToUniversalTime(), 0);

    /// <summary>UTC with all nine fraction digits, as the spec's example is written.</summary>
    public string Format() =>
        Instant.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff", CultureInfo.InvariantCulture)
        + SubTickNanoseconds.ToString("00", CultureInfo.InvariantCulture) + "Z";

    /// <summary>
    /// Parses <c>YYYY-MM-DDTHH:MM:SS[.1-9 digits](Z|±HH:MM)</c>. go writes trailing fraction
    /// zeros trimmed (time.RFC3339Nano), js writes all nine; both are accepted.
    /// </summary>
    public static Rfc3339NanoTime Parse(ReadOnlySpan<byte> ascii)
    {
        const int maxLength = 35; // 19 + '.' + 9 digits + 6 for the offset
        if (ascii.Length < 20 || ascii.Length > maxLength)
        {
            throw Bad(ascii, "length");
        }
        var year = Digits(ascii, 0, 4);
        Expect(ascii, 4, '-');
        var month = Digits(ascii, 5, 2);
        Expect(ascii, 7, '-');
        var day = Digits(ascii, 8, 2);
        Expect(ascii, 10, 'T');
        var hour = Digits(ascii, 11, 2);
        Expect(ascii, 13, ':');
        var minute = Digits(ascii, 14, 2);
        Expect(ascii, 16, ':');
        var second = Digits(ascii, 17, 2);
        var position = 19;
        long nanoseconds = 0;
        if (ascii[position] == '.')
        {
            position++;
            var start = position;
            while (position < ascii.Length && char.IsAsciiDigit((char)ascii[position]))
            {
                position++;
            }
            var count = position - start;
            if (count is < 1 or > 9)
            {
                throw Bad(ascii, "fraction must have 1 to 9 digits");
            }
            nanoseconds = Digits(ascii, start, count);
            for (var i = count; i < 9; i++)
            {
                nanoseconds *= 10;
            }
        }
        var offset = ParseOffset(ascii, position);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || year < 1
            || hour > 23 || minute > 59 || second > 59)
        {
            throw Bad(ascii, "date or time out of range");
        }
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(nanoseconds / 100);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            throw Bad(ascii, "instant out of range");
        }
        return new Rfc3339NanoTime(new DateTimeOffset(utcTicks, TimeSpan.Zero), (int)(nanoseconds % 100));
    }

    public int CompareTo(Rfc3339NanoTime other)
    {
        var byTicks = Instant.UtcTicks.CompareTo(other.Instant.UtcTicks);
        return byTicks != 0 ? byTicks : SubTickNanoseconds.CompareTo(other.SubTickNanoseconds);
    }

    /// <summary>True when this instant is strictly after <paramref name="now"/>.</summary>
    public bool IsAfter(DateTimeOffset now) => CompareTo(FromDateTimeOffset(now)) > 0;

    private static TimeSpan ParseOffset(ReadOnlySpan<byte> ascii, int position)
    {
        var rest = ascii[position..];
        if (rest.Length == 1 && rest[0] == 'Z')
        {
            return TimeSpan.Zero;
        }
        if (rest.Length == 6 && rest[0] is (byte)'+' or (byte)'-' && rest[3] == ':')
        {
            var hours = Digits(ascii, position + 1, 2);
            var minutes = Digits(ascii, position + 4, 2);
            if (hours > 23 || minutes > 59)
            {
                throw Bad(ascii, "offset out of range");
            }
            var offset = new TimeSpan(hours, minutes, 0);
            return rest[0] == '-' ? -offset : offset;
        }
        throw Bad(ascii, "expected 'Z' or a ±HH:MM offset");
    }

    private static int Digits(ReadOnlySpan<byte> ascii, int start, int count)
    {
        if (start + count > ascii.Length)
        {
            throw Bad(ascii, "truncated");
        }
        var value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit((char)ascii[i]))
            {
                throw Bad(ascii, $"expected a digit at {i}");
            }
            value = value * 10 + (ascii[i] - '0');
        }
        return value;
    }

    private static void Expect(ReadOnlySpan<byte> ascii, int index, char expected)
    {
        if (ascii[index] != expected)
        {
            throw Bad(ascii, $"expected '{expected}' at {index}");
        }
    }

    private static MalformedDataException Bad(ReadOnlySpan<byte> ascii, string why)
    {
        var shown = Encoding.ASCII.GetString(ascii[..Math.Min(ascii.Length, 40)]);
        return new MalformedDataException(IpnsEntry.FormatName, $"validity '{shown}' is not an RFC 3339 time: {why}");
    }
}
