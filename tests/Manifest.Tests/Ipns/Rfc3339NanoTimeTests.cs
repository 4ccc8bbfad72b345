using System.Text;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipns;

namespace Overlay.Manifest.Tests.Ipns;

public sealed class Rfc3339NanoTimeTests
{
    private static Rfc3339NanoTime Parse(string text) => Rfc3339NanoTime.Parse(Encoding.ASCII.GetBytes(text));

    [Theory]
    [InlineData("1970-01-01T00:00:00.000000001Z", 0L, 1)]
    [InlineData("1970-01-01T00:00:00Z", 0L, 0)]
    [InlineData("1970-01-01T00:00:00.5Z", 5_000_000L, 0)]
    [InlineData("1970-01-01T00:00:00.123456789Z", 1_234_567L, 89)]
    [InlineData("1970-01-01T02:00:00+02:00", 0L, 0)]
    [InlineData("1969-12-31T23:30:00-00:30", 0L, 0)]
    public void ParsesToUtcWithNanoseconds(string text, long ticksAfterEpoch, int subTick)
    {
        var time = Parse(text);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(ticksAfterEpoch), time.Instant);
        Assert.Equal(TimeSpan.Zero, time.Instant.Offset);
        Assert.Equal(subTick, time.SubTickNanoseconds);
    }

    [Fact]
    public void FormatsNineFractionDigitsInUtc()
    {
        Assert.Equal("1970-01-01T00:00:00.000000001Z", Parse("1970-01-01T00:00:00.000000001Z").Format());
        Assert.Equal("2123-08-14T12:17:03.694052000Z", Parse("2123-08-14T12:17:03.694052Z").Format());
        var local = new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.FromHours(3)).AddTicks(1234567);
        Assert.Equal("2030-05-06T04:08:09.123456700Z", Rfc3339NanoTime.FromDateTimeOffset(local).Format());
    }

    [Fact]
    public void OrdersByTheNanosecond()
    {
        Assert.True(Parse("2000-01-01T00:00:00.000000002Z").CompareTo(Parse("2000-01-01T00:00:00.000000001Z")) > 0);
        Assert.True(Parse("2000-01-01T00:00:00.000000001Z").IsAfter(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.False(Parse("2000-01-01T00:00:00Z").IsAfter(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2000-01-01")]
    [InlineData("2000-01-01 00:00:00Z")]
    [InlineData("2000-01-01t00:00:00Z")]
    [InlineData("2000-01-01T00:00:00")]
    [InlineData("2000-01-01T00:00:00.Z")]
    [InlineData("2000-01-01T00:00:00.1234567890Z")]
    [InlineData("2000-13-01T00:00:00Z")]
    [InlineData("2001-02-29T00:00:00Z")]
    [InlineData("2000-01-01T24:00:00Z")]
    [InlineData("2000-01-01T00:00:60Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("2000-01-01T00:00:00+0100")]
    [InlineData("2000-01-01T00:00:00+24:00")]
    [InlineData("2000-01-01T00:00:00ZZ")]
    [InlineData("2000-01-01T00:00:00.٣Z")]
    public void RejectsWhatIsNotRfc3339(string text)
    {
        Assert.Throws<MalformedDataException>(() => Rfc3339NanoTime.Parse(Encoding.UTF8.GetBytes(text)));
    }
}
