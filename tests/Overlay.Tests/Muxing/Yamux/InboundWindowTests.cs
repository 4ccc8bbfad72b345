using Overlay.Muxing.Yamux;
using Overlay.Muxing.Yamux.FlowControl;

namespace Overlay.Tests.Muxing.Yamux;

public sealed class InboundWindowTests
{
    private const uint Initial = YamuxOptions.SpecInitialWindow;
    private const uint Max = 16 * 1024 * 1024;
    private const long RoundTrip = 1000;

    [Fact]
    public void The_remote_starts_with_the_spec_window_of_credit()
    {
        var window = new InboundWindow(Initial, Max, now: 0);
        Assert.Equal(Initial, window.Credit);
        Assert.True(window.TryReceive(Initial));
        Assert.False(window.TryReceive(1));
        Assert.Equal(Initial, window.Unread);
    }

    [Fact]
    public void An_update_is_due_once_half_the_window_is_read_and_grants_what_was_read()
    {
        var window = new InboundWindow(Initial, Max, now: 0);
        Assert.True(window.TryReceive(Initial));

        Assert.False(window.Consume(Initial / 2 - 1));
        Assert.Equal(0u, window.TakeUpdate(now: 1, roundTrip: 0, force: false));
        Assert.True(window.Consume(1));

        Assert.Equal(Initial / 2, window.TakeUpdate(now: 1, roundTrip: 0, force: false));
        Assert.Equal(Initial / 2, window.Credit);
        Assert.Equal(Initial, window.Window);
        Assert.False(window.UpdateDue);
    }

    [Fact]
    public void The_window_doubles_when_updates_come_within_four_round_trips_up_to_the_maximum()
    {
        var window = new InboundWindow(Initial, Max, now: 0);
        long now = 0;
        for (var i = 0; i < 20; i++)
        {
            var credit = window.Credit;
            Assert.True(window.TryReceive(credit));
            window.Consume(credit);
            now += RoundTrip;
            var delta = window.TakeUpdate(now, RoundTrip, force: false);
            Assert.Equal(window.Window, window.Credit);
            Assert.True(delta > 0);
        }

        Assert.Equal(Max, window.Window);
    }

    [Fact]
    public void The_window_stays_when_updates_are_slow_or_the_round_trip_is_unknown()
    {
        var slow = new InboundWindow(Initial, Max, now: 0);
        var unknown = new InboundWindow(Initial, Max, now: 0);
        long now = 0;
        for (var i = 0; i < 5; i++)
        {
            foreach (var window in new[] { slow, unknown })
            {
                var credit = window.Credit;
                window.TryReceive(credit);
                window.Consume(credit);
            }

            now += 10 * RoundTrip;
            slow.TakeUpdate(now, RoundTrip, force: false);
            unknown.TakeUpdate(now, roundTrip: 0, force: false);
        }

        Assert.Equal(Initial, slow.Window);
        Assert.Equal(Initial, unknown.Window);
    }

    [Fact]
    public void A_larger_initial_window_is_granted_by_the_first_forced_update()
    {
        var window = new InboundWindow(4 * Initial, Max, now: 0);
        Assert.Equal(Initial, window.Credit);
        Assert.Equal(3 * Initial, window.TakeUpdate(now: 0, RoundTrip, force: true));
        Assert.Equal(4 * Initial, window.Credit);
        Assert.Equal(4 * Initial, window.Window);
    }

    [Fact]
    public void A_forced_update_with_nothing_to_grant_is_zero()
    {
        var window = new InboundWindow(Initial, Max, now: 0);
        Assert.Equal(0u, window.TakeUpdate(now: 0, RoundTrip, force: true));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Unread_plus_credit_never_exceeds_the_window(int seed)
    {
        var random = new Random(seed);
        var window = new InboundWindow(Initial, Max, now: 0);
        long now = 0;
        for (var step = 0; step < 10_000; step++)
        {
            now += random.Next(0, 3000);
            switch (random.Next(3))
            {
                case 0:
                    window.TryReceive((uint)random.Next(0, (int)Math.Min(window.Credit + 10, int.MaxValue)));
                    break;
                case 1:
                    window.Consume(random.NextInt64(0, window.Unread + 1));
                    break;
                default:
                    window.TakeUpdate(now, RoundTrip, force: random.Next(10) == 0);
                    break;
            }

            Assert.InRange(window.Unread + window.Credit, 0, window.Window);
            Assert.InRange(window.Window, Initial, Max);
        }
    }
}
