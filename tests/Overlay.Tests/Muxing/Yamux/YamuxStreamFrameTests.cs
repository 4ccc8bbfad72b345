using System.Buffers;
using Overlay.Muxing;
using Overlay.Muxing.Yamux;
using Overlay.Muxing.Yamux.Frames;

namespace Overlay.Tests.Muxing.Yamux;

/// <summary>The frames a session sends for stream life-cycle events, seen from a raw peer.</summary>
[Collection(MuxingCollection.Name)]
public sealed class YamuxStreamFrameTests
{
    private static readonly TimeSpan Patience = RawYamuxPeer.Patience;

    [Fact]
    public async Task The_initiator_opens_odd_ids_and_the_listener_even_ones()
    {
        await using var dialer = RawConnection.Create(sessionIsInitiator: true);
        await using var listener = RawConnection.Create(sessionIsInitiator: false);

        var odd = new[] { await dialer.Session.OpenStreamAsync(), await dialer.Session.OpenStreamAsync(), await dialer.Session.OpenStreamAsync() };
        var even = new[] { await listener.Session.OpenStreamAsync(), await listener.Session.OpenStreamAsync() };

        Assert.Equal(new long[] { 1, 3, 5 }, odd.Select(s => s.Id));
        Assert.Equal(new long[] { 2, 4 }, even.Select(s => s.Id));
    }

    [Fact]
    public async Task Opening_sends_a_SYN_window_update_at_once()
    {
        await using var connection = RawConnection.Create(sessionIsInitiator: true);
        var stream = await connection.Session.OpenStreamAsync();

        var (syn, _) = await connection.Peer.ExpectAsync(f => f.Type != YamuxFrameType.Ping);
        Assert.Equal(YamuxFrame.WindowUpdate((uint)stream.Id, YamuxFrameFlags.Syn, 0), syn);
    }

    [Fact]
    public async Task A_larger_initial_window_is_announced_with_the_SYN()
    {
        var options = new YamuxOptions { KeepAliveInterval = null, InitialStreamWindowSize = 1024 * 1024 };
        await using var connection = RawConnection.Create(options, sessionIsInitiator: true);
        await connection.Session.OpenStreamAsync();

        var (syn, _) = await connection.Peer.ExpectAsync(f => f.Type != YamuxFrameType.Ping);
        Assert.Equal(YamuxFrame.WindowUpdate(1, YamuxFrameFlags.Syn, 1024 * 1024 - YamuxOptions.SpecInitialWindow), syn);
    }

    [Fact]
    public async Task A_remote_stream_is_acknowledged_when_accepted_and_not_before()
    {
        await using var connection = RawConnection.Create();
        await connection.Peer.SendAsync(YamuxFrame.Data(1, YamuxFrameFlags.Syn, 5), "hello"u8.ToArray());

        // Only the session's own round-trip ping arrives before the application accepts.
        await connection.Peer.SendAsync(YamuxFrame.PingRequest(77));
        var (answer, _) = await connection.Peer.ExpectAsync(f => f.Type != YamuxFrameType.Ping || f.HasFlag(YamuxFrameFlags.Ack));
        Assert.Equal(YamuxFrame.PingResponse(77), answer);

        var stream = await connection.Session.AcceptStreamAsync().AsTask().WaitAsync(Patience);
        var (ack, _) = await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.WindowUpdate);
        Assert.Equal(YamuxFrame.WindowUpdate(1, YamuxFrameFlags.Ack, 0), ack);
        Assert.Equal("hello"u8.ToArray(), await StreamData.ReadExactlyAsync(stream!.Input, 5));
    }

    [Fact]
    public async Task Data_fin_and_rst_go_out_as_the_spec_frames_them()
    {
        await using var connection = RawConnection.Create(sessionIsInitiator: true);
        var stream = await connection.Session.OpenStreamAsync();
        await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.WindowUpdate);

        await stream.Output.WriteAsync("abc"u8.ToArray());
        var (data, payload) = await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.Data);
        Assert.Equal(YamuxFrame.Data(1, YamuxFrameFlags.None, 3), data);
        Assert.Equal("abc"u8.ToArray(), payload);

        await stream.Output.CompleteAsync();
        var (fin, _) = await connection.Peer.ExpectAsync(f => f.Type != YamuxFrameType.Ping);
        Assert.Equal(YamuxFrame.WindowUpdate(1, YamuxFrameFlags.Fin, 0), fin);

        // After our FIN the stream can still be reset, which the remote must hear.
        stream.Reset();
        var (rst, _) = await connection.Peer.ExpectAsync(f => f.Type != YamuxFrameType.Ping);
        Assert.Equal(YamuxFrame.WindowUpdate(1, YamuxFrameFlags.Rst, 0), rst);
    }

    [Fact]
    public async Task The_FIN_never_rides_on_a_data_frame()
    {
        await using var connection = RawConnection.Create(sessionIsInitiator: true);
        var stream = await connection.Session.OpenStreamAsync();
        await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.WindowUpdate);

        // Complete before the send loop can take the data, so data and FIN are due together.
        stream.Output.Write("last words"u8);
        await stream.Output.CompleteAsync();

        var (data, payload) = await connection.Peer.ExpectAsync(f => f.Type != YamuxFrameType.Ping);
        Assert.Equal(YamuxFrame.Data(1, YamuxFrameFlags.None, 10), data);
        Assert.Equal("last words"u8.ToArray(), payload);
        var (fin, _) = await connection.Peer.ExpectAsync(f => f.Type != YamuxFrameType.Ping);
        Assert.Equal(YamuxFrame.WindowUpdate(1, YamuxFrameFlags.Fin, 0), fin);
    }

    [Fact]
    public async Task Large_writes_are_cut_into_frames_no_larger_than_the_window_allows()
    {
        await using var connection = RawConnection.Create(sessionIsInitiator: true);
        var stream = await connection.Session.OpenStreamAsync();
        var writing = StreamData.WriteAllAsync(stream.Output, new byte[1024 * 1024], complete: false);

        long received = 0;
        while (received < YamuxOptions.SpecInitialWindow)
        {
            var (frame, payload) = await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.Data);
            Assert.InRange(payload.Length, 1, YamuxOptions.Default.MaxSendFrameSize);
            received += payload.Length;
        }

        // The window is spent; nothing more comes until we grant more.
        Assert.Equal(YamuxOptions.SpecInitialWindow, received);
        Assert.False(writing.IsCompleted);
        await connection.Peer.SendAsync(YamuxFrame.WindowUpdate(1, YamuxFrameFlags.Ack, 1024 * 1024));
        while (received < 1024 * 1024)
        {
            received += (await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.Data)).Payload.Length;
        }

        await writing.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_writer_completed_with_an_error_resets_the_stream()
    {
        await using var connection = RawConnection.Create(sessionIsInitiator: true);
        var stream = await connection.Session.OpenStreamAsync();
        await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.WindowUpdate);

        await stream.Output.CompleteAsync(new InvalidOperationException("the application gave up"));
        var (rst, _) = await connection.Peer.ExpectAsync(f => f.Type != YamuxFrameType.Ping);
        Assert.Equal(YamuxFrame.WindowUpdate(1, YamuxFrameFlags.Rst, 0), rst);
        await Assert.ThrowsAsync<StreamResetException>(async () => await stream.Input.ReadAsync());
    }

    [Fact]
    public async Task A_reader_that_stops_reading_still_grants_window_so_the_remote_is_not_stalled()
    {
        await using var connection = RawConnection.Create();
        await connection.Peer.SendAsync(YamuxFrame.WindowUpdate(1, YamuxFrameFlags.Syn, 0));
        var stream = (await connection.Session.AcceptStreamAsync().AsTask().WaitAsync(Patience))!;
        await stream.Input.CompleteAsync();

        // Send 4 MiB within the credit we are given; every window update must come.
        long credit = YamuxOptions.SpecInitialWindow;
        long sent = 0;
        var chunk = new byte[64 * 1024];
        while (sent < 4 * 1024 * 1024)
        {
            if (credit < chunk.Length)
            {
                var (update, _) = await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.WindowUpdate && f.Length > 0);
                credit += update.Length;
                continue;
            }

            await connection.Peer.SendAsync(YamuxFrame.Data(1, YamuxFrameFlags.None, (uint)chunk.Length), chunk);
            credit -= chunk.Length;
            sent += chunk.Length;
        }

        Assert.Null(connection.Session.CloseReason);
    }

    [Fact]
    public async Task Opening_waits_while_too_many_streams_are_unacknowledged()
    {
        var options = new YamuxOptions { KeepAliveInterval = null, MaxUnacknowledgedStreams = 4 };
        await using var connection = RawConnection.Create(options, sessionIsInitiator: true);
        for (var i = 0; i < 4; i++)
        {
            await connection.Session.OpenStreamAsync().AsTask().WaitAsync(Patience);
        }

        var fifth = connection.Session.OpenStreamAsync().AsTask();
        await Task.Delay(100);
        Assert.False(fifth.IsCompleted);

        await connection.Peer.SendAsync(YamuxFrame.WindowUpdate(3, YamuxFrameFlags.Ack, 0));
        Assert.Equal(9, (await fifth.WaitAsync(Patience)).Id);

        // A reset (here: by the remote) also gives the slot back.
        var sixth = connection.Session.OpenStreamAsync().AsTask();
        await connection.Peer.SendAsync(YamuxFrame.WindowUpdate(1, YamuxFrameFlags.Rst, 0));
        Assert.Equal(11, (await sixth.WaitAsync(Patience)).Id);
    }
}
