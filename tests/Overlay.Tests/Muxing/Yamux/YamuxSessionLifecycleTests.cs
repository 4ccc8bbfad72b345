using System.Diagnostics;
using Overlay.Muxing;
using Overlay.Muxing.Yamux;
using Overlay.Muxing.Yamux.Frames;

namespace Overlay.Tests.Muxing.Yamux;

/// <summary>Go-away, pings and keep-alive, window auto-tuning and shutdown, against a raw peer.</summary>
[Collection(MuxingCollection.Name)]
public sealed class YamuxSessionLifecycleTests
{
    private static readonly TimeSpan Patience = RawYamuxPeer.Patience;

    [Theory]
    [InlineData(YamuxGoAwayCode.Normal)]
    [InlineData(YamuxGoAwayCode.ProtocolError)]
    [InlineData(YamuxGoAwayCode.InternalError)]
    public async Task A_remote_go_away_ends_the_session_with_its_code(YamuxGoAwayCode code)
    {
        await using var connection = RawConnection.Create();
        await connection.Peer.SendAsync(YamuxFrame.WindowUpdate(1, YamuxFrameFlags.Syn, 0));
        var stream = (await connection.Session.AcceptStreamAsync().AsTask().WaitAsync(Patience))!;
        var reading = stream.Input.ReadAsync().AsTask();

        await connection.Peer.SendAsync(YamuxFrame.GoAway(code));

        var frames = await connection.Peer.ReadToEndAsync().WaitAsync(Patience);
        Assert.DoesNotContain(frames, f => f.Type == YamuxFrameType.GoAway);
        Assert.Equal((uint)code, connection.Session.RemoteGoAwayCode);
        var reason = connection.Session.CloseReason!;
        Assert.Equal(MuxerCloseKind.RemoteGoAway, reason.Kind);
        Assert.Equal((uint)code, reason.GoAwayCode);

        var reset = await Assert.ThrowsAsync<StreamResetException>(() => reading.WaitAsync(Patience));
        Assert.True(reset.Remote);
        Assert.Same(reason, reset.InnerException);
        await Assert.ThrowsAsync<MuxerClosedException>(async () => await connection.Session.OpenStreamAsync());
        await Assert.ThrowsAsync<MuxerClosedException>(() => connection.Session.PingAsync());
    }

    [Fact]
    public async Task Closing_sends_a_normal_go_away_then_ends_the_transport()
    {
        var connection = RawConnection.Create();
        await connection.Session.OpenStreamAsync();
        await connection.Session.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.True(connection.Session.Completion.IsCompleted);
        var frames = await connection.Peer.ReadToEndAsync().WaitAsync(Patience);
        Assert.Equal(YamuxFrame.GoAway(YamuxGoAwayCode.Normal), frames.Last());
        Assert.Equal(MuxerCloseKind.Local, connection.Session.CloseReason?.Kind);
        Assert.Null(connection.Session.RemoteGoAwayCode);
    }

    [Fact]
    public async Task Close_finishes_in_bounded_time_when_the_remote_reads_nothing()
    {
        var options = new YamuxOptions { KeepAliveInterval = null, CloseTimeout = TimeSpan.FromMilliseconds(200) };
        var connection = RawConnection.Create(options, sessionIsInitiator: true);
        var stream = await connection.Session.OpenStreamAsync();
        await connection.Peer.SendAsync(YamuxFrame.WindowUpdate(1, YamuxFrameFlags.Ack, 64 * 1024 * 1024));

        // Fill the transport: the raw peer never reads.
        var writing = StreamData.WriteAllAsync(stream.Output, new byte[8 * 1024 * 1024]);
        await Task.Delay(200);

        var timer = Stopwatch.StartNew();
        await connection.Session.DisposeAsync().AsTask().WaitAsync(Patience);
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(3), $"close took {timer.Elapsed}");
        await Assert.ThrowsAsync<StreamResetException>(() => writing.WaitAsync(Patience));
    }

    [Fact]
    public async Task Ping_requests_are_answered_with_the_same_value()
    {
        await using var connection = RawConnection.Create();
        foreach (var opaque in new uint[] { 0, 1, 0xDEADBEEF, uint.MaxValue })
        {
            await connection.Peer.SendAsync(YamuxFrame.PingRequest(opaque));
            var (pong, _) = await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.Ping && f.HasFlag(YamuxFrameFlags.Ack));
            Assert.Equal(YamuxFrame.PingResponse(opaque), pong);
        }
    }

    [Fact]
    public async Task PingAsync_measures_the_round_trip()
    {
        await using var connection = RawConnection.Create();

        // The session's first ping measures the round trip on its own; answer it late.
        var (first, _) = await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.Ping, answerPings: false);
        Assert.Equal(YamuxFrameFlags.Syn, first.Flags);
        var joined = connection.Session.PingAsync();
        await Task.Delay(50);
        await connection.Peer.SendAsync(YamuxFrame.PingResponse(first.Length));

        var roundTrip = await joined.WaitAsync(Patience);
        Assert.InRange(roundTrip, TimeSpan.FromMilliseconds(45), Patience);
        Assert.NotNull(connection.Session.RoundTrip);

        var next = connection.Session.PingAsync();
        var (second, _) = await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.Ping, answerPings: false);
        Assert.NotEqual(first.Length, second.Length);
        await connection.Peer.SendAsync(YamuxFrame.PingResponse(second.Length));
        await next.WaitAsync(Patience);
    }

    [Fact]
    public async Task An_unanswered_keep_alive_ends_the_session()
    {
        var options = new YamuxOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(100), KeepAliveTimeout = TimeSpan.FromMilliseconds(300) };
        await using var connection = RawConnection.Create(options);
        var timer = Stopwatch.StartNew();

        var frames = await connection.Peer.ReadToEndAsync().WaitAsync(Patience);
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(3), $"keep-alive gave up after {timer.Elapsed}");
        Assert.Equal(MuxerCloseKind.KeepAliveTimeout, connection.Session.CloseReason?.Kind);
        Assert.Equal(YamuxFrame.GoAway(YamuxGoAwayCode.Normal), frames.Last());
    }

    [Fact]
    public async Task Answered_keep_alives_keep_the_session_open()
    {
        var options = new YamuxOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(50), KeepAliveTimeout = TimeSpan.FromMilliseconds(500) };
        await using var connection = RawConnection.Create(options);
        var pings = 0;
        var timer = Stopwatch.StartNew();
        while (timer.Elapsed < TimeSpan.FromSeconds(1))
        {
            var (ping, _) = await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.Ping, answerPings: false);
            await connection.Peer.SendAsync(YamuxFrame.PingResponse(ping.Length));
            pings++;
        }

        Assert.InRange(pings, 5, 100);
        Assert.Null(connection.Session.CloseReason);
    }

    [Fact]
    public async Task The_receive_window_grows_when_the_reader_keeps_up_within_a_few_round_trips()
    {
        var window = await MeasureWindowGrowthAsync(answerFirstPingAfter: TimeSpan.FromMilliseconds(100));
        Assert.InRange(window, 2 * YamuxOptions.SpecInitialWindow, YamuxOptions.Default.MaxStreamWindowSize);
    }

    [Fact]
    public async Task The_receive_window_stays_while_the_round_trip_is_unknown()
    {
        var window = await MeasureWindowGrowthAsync(answerFirstPingAfter: null);
        Assert.Equal(YamuxOptions.SpecInitialWindow, window);
    }

    /// <summary>
    /// Streams 8 MiB into the session within the credit it grants (the application reads at
    /// once) and returns the stream's final window. The session learns the round trip from its
    /// first ping, answered after the given delay (or never).
    /// </summary>
    private static async Task<long> MeasureWindowGrowthAsync(TimeSpan? answerFirstPingAfter)
    {
        await using var connection = RawConnection.Create();
        var (ping, _) = await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.Ping, answerPings: false);
        if (answerFirstPingAfter is { } delay)
        {
            await Task.Delay(delay);
            await connection.Peer.SendAsync(YamuxFrame.PingResponse(ping.Length));
            await connection.Session.PingAsync().WaitAsync(Patience);
        }

        await connection.Peer.SendAsync(YamuxFrame.WindowUpdate(1, YamuxFrameFlags.Syn, 0));
        var stream = (YamuxStream)(await connection.Session.AcceptStreamAsync().AsTask().WaitAsync(Patience))!;
        var draining = StreamData.DrainAsync(stream.Input);

        long credit = YamuxOptions.SpecInitialWindow;
        long sent = 0;
        const long Total = 8 * 1024 * 1024;
        var chunk = new byte[64 * 1024];
        while (sent < Total)
        {
            if (credit < chunk.Length)
            {
                var (update, _) = await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.WindowUpdate && f.Length > 0, answerPings: false);
                credit += update.Length;
                continue;
            }

            await connection.Peer.SendAsync(YamuxFrame.Data(1, YamuxFrameFlags.None, (uint)chunk.Length), chunk);
            credit -= chunk.Length;
            sent += chunk.Length;
        }

        await connection.Peer.SendAsync(YamuxFrame.WindowUpdate(1, YamuxFrameFlags.Fin, 0));
        Assert.Equal(Total, await draining.WaitAsync(Patience));
        Assert.InRange(stream.BufferedInboundBytes, 0, 0);
        return stream.ReceiveWindow;
    }
}
