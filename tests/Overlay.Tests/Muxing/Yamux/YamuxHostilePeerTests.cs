using System.Diagnostics;
using System.IO.Pipelines;
using Overlay.Manifest.Errors;
using Overlay.Muxing;
using Overlay.Muxing.Yamux;
using Overlay.Muxing.Yamux.Frames;

namespace Overlay.Tests.Muxing.Yamux;

/// <summary>
/// A peer that breaks the protocol is cut off within a bounded time with a go-away carrying the
/// protocol-error code and a typed reason; one that floods is refused without hurting the rest.
/// </summary>
[Collection(MuxingCollection.Name)]
public sealed class YamuxHostilePeerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private static byte[] Header(YamuxFrameType type, YamuxFrameFlags flags, uint stream, uint length)
    {
        var bytes = new byte[YamuxFrame.HeaderLength];
        new YamuxFrame(type, flags, stream, length).WriteTo(bytes);
        return bytes;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static readonly byte[] OpenStream1 = Header(YamuxFrameType.WindowUpdate, YamuxFrameFlags.Syn, 1, 0);

    public static TheoryData<string, byte[], string> Violations() => new()
    {
        { "unknown version", [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0], "unsupported version 1" },
        { "unknown type", [0, 9, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0], "unknown frame type 9" },
        { "data on stream 0", Header(YamuxFrameType.Data, YamuxFrameFlags.None, 0, 4), "stream 0" },
        { "ping on a stream", Header(YamuxFrameType.Ping, YamuxFrameFlags.Syn, 3, 1), "ping frame for stream 3" },
        { "SYN with the listener's parity", Header(YamuxFrameType.WindowUpdate, YamuxFrameFlags.Syn, 2, 0), "an id only this side may open" },
        { "duplicate SYN", Concat(OpenStream1, OpenStream1), "already open" },
        { "window overflow", Concat(OpenStream1, Header(YamuxFrameType.WindowUpdate, YamuxFrameFlags.None, 1, uint.MaxValue)), "send window of stream 1" },
        { "data larger than the window", Concat(OpenStream1, Header(YamuxFrameType.Data, YamuxFrameFlags.None, 1, YamuxOptions.SpecInitialWindow + 1)), "receive window" },
        { "data length 2^32-1", Concat(OpenStream1, Header(YamuxFrameType.Data, YamuxFrameFlags.None, 1, uint.MaxValue)), "data frame length" },
        { "data length 2^32-1 on an unknown stream", Header(YamuxFrameType.Data, YamuxFrameFlags.None, 7, uint.MaxValue), "data frame length" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_protocol_violation_ends_the_session_with_a_go_away_and_a_typed_reason(string violation, byte[] bytes, string expected)
    {
        await using var connection = RawConnection.Create();
        var timer = Stopwatch.StartNew();
        await connection.Peer.SendBytesAsync(bytes);

        var frames = await connection.Peer.ReadToEndAsync().WaitAsync(Bound);
        Assert.True(timer.Elapsed < Bound, $"{violation}: cut off after {timer.Elapsed}");
        Assert.Equal(YamuxFrame.GoAway(YamuxGoAwayCode.ProtocolError), frames.Last());

        Assert.True(connection.Session.Closed.IsCancellationRequested);
        var reason = connection.Session.CloseReason;
        Assert.NotNull(reason);
        Assert.Equal(MuxerCloseKind.ProtocolViolation, reason!.Kind);
        Assert.Equal((uint)YamuxGoAwayCode.ProtocolError, reason.GoAwayCode);
        var cause = Assert.IsAssignableFrom<MalformedDataException>(reason.InnerException);
        Assert.Equal("yamux", cause.Format);
        Assert.Contains(expected, cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_4_GiB_data_header_is_refused_without_allocating_for_it()
    {
        await using var connection = RawConnection.Create();
        await connection.Peer.SendAsync(YamuxFrame.WindowUpdate(1, YamuxFrameFlags.Syn, 0));
        await connection.Session.AcceptStreamAsync().AsTask().WaitAsync(Bound);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        await connection.Peer.SendBytesAsync(Header(YamuxFrameType.Data, YamuxFrameFlags.None, 1, uint.MaxValue));
        await connection.Peer.ReadToEndAsync().WaitAsync(Bound);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.IsType<LimitExceededException>(connection.Session.CloseReason?.InnerException);
        Assert.True(allocated < 1024 * 1024, $"refusing the header allocated {allocated} bytes");
    }

    [Fact]
    public async Task A_flood_of_streams_is_refused_with_RST_while_pings_stay_fast()
    {
        const int Flood = 1000;
        var backlog = YamuxOptions.Default.AcceptBacklog;
        await using var connection = RawConnection.Create();

        for (uint i = 0; i < Flood; i++)
        {
            await connection.Peer.SendAsync(YamuxFrame.WindowUpdate(2 * i + 1, YamuxFrameFlags.Syn, 0));
        }

        var refused = new HashSet<uint>();
        while (refused.Count < Flood - backlog)
        {
            var (frame, _) = await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.WindowUpdate);
            Assert.Equal(YamuxFrameFlags.Rst, frame.Flags);
            refused.Add(frame.StreamId);
        }

        // The first streams (up to the backlog) stand; the rest were refused.
        Assert.Equal(Enumerable.Range(backlog, Flood - backlog).Select(i => (uint)(2 * i + 1)), refused.Order());
        var roundTrip = await connection.Peer.PingAsync(12345);
        Assert.True(roundTrip < TimeSpan.FromSeconds(1), $"ping took {roundTrip} during the flood");

        var first = await connection.Session.AcceptStreamAsync().AsTask().WaitAsync(Bound);
        Assert.Equal(1, first!.Id);
        Assert.Null(connection.Session.CloseReason);
    }

    [Fact]
    public async Task A_flood_from_a_peer_that_does_not_read_our_refusals_ends_the_session()
    {
        // A small transport buffer, so our refusals back up soon; the session then waits up to the
        // drain timeout for the peer to read them before calling it a flood.
        var small = new PipeOptions(pauseWriterThreshold: 16 * 1024, resumeWriterThreshold: 8 * 1024, useSynchronizationContext: false);
        var options = new YamuxOptions { RefusalDrainTimeout = TimeSpan.FromSeconds(1) };
        await using var connection = RawConnection.Create(options, pipeOptions: small);

        var flooding = Task.Run(async () =>
        {
            for (uint i = 0; i < 20_000 && connection.Session.CloseReason is null; i++)
            {
                await connection.Peer.SendAsync(YamuxFrame.WindowUpdate(2 * i + 1, YamuxFrameFlags.Syn, 0));
            }
        });

        await Task.Delay(TimeSpan.FromMilliseconds(100));
        var closed = new TaskCompletionSource();
        using var registration = connection.Session.Closed.Register(closed.SetResult);
        await closed.Task.WaitAsync(Bound);

        var reason = connection.Session.CloseReason!;
        Assert.Equal(MuxerCloseKind.ProtocolViolation, reason.Kind);
        var limit = Assert.IsType<LimitExceededException>(reason.InnerException);
        Assert.Equal(YamuxOptions.Default.MaxPendingControlFrames, limit.Limit);
        await connection.Peer.ReadToEndAsync().WaitAsync(Bound);
        await flooding.WaitAsync(Bound);
    }

    [Fact]
    public async Task Data_after_the_remote_FIN_resets_only_that_stream()
    {
        await using var connection = RawConnection.Create();
        await connection.Peer.SendAsync(YamuxFrame.Data(1, YamuxFrameFlags.Syn, 2), "hi"u8.ToArray());
        await connection.Peer.SendAsync(YamuxFrame.Data(3, YamuxFrameFlags.Syn | YamuxFrameFlags.Fin, 2), "ok"u8.ToArray());
        await connection.Peer.SendAsync(YamuxFrame.Data(3, YamuxFrameFlags.None, 3), "bad"u8.ToArray());

        var (rst, _) = await connection.Peer.ExpectAsync(f => f.Type == YamuxFrameType.WindowUpdate);
        Assert.Equal(YamuxFrame.WindowUpdate(3, YamuxFrameFlags.Rst, 0), rst);

        var good = (await connection.Session.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        Assert.Equal("hi"u8.ToArray(), await StreamData.ReadExactlyAsync(good.Input, 2));
        Assert.Null(connection.Session.CloseReason);
        Assert.True(await connection.Peer.PingAsync(1) < Bound);
    }

    [Fact]
    public async Task Frames_for_streams_that_do_not_exist_are_dropped()
    {
        await using var connection = RawConnection.Create();
        await connection.Peer.SendAsync(YamuxFrame.Data(5, YamuxFrameFlags.None, 1000), new byte[1000]);
        await connection.Peer.SendAsync(YamuxFrame.WindowUpdate(7, YamuxFrameFlags.Rst, 0));
        await connection.Peer.SendAsync(YamuxFrame.WindowUpdate(9, YamuxFrameFlags.Ack, 100));
        await connection.Peer.SendAsync(YamuxFrame.PingResponse(999));

        Assert.True(await connection.Peer.PingAsync(2) < Bound);
        Assert.Null(connection.Session.CloseReason);
    }

    [Fact]
    public async Task A_transport_that_ends_inside_a_frame_ends_the_session()
    {
        await using var connection = RawConnection.Create();
        await connection.Peer.SendAsync(YamuxFrame.Data(1, YamuxFrameFlags.Syn, 100), new byte[10]);
        await connection.Peer.CompleteAsync();

        await connection.Peer.ReadToEndAsync().WaitAsync(Bound);
        var reason = connection.Session.CloseReason!;
        Assert.Equal(MuxerCloseKind.TransportClosed, reason.Kind);
        Assert.Contains("inside a frame", reason.Message, StringComparison.Ordinal);
    }
}
