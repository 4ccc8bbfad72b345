using System.Diagnostics;
using Overlay.Muxing;

namespace Overlay.Tests.Muxing;

/// <summary>Resets, closing in any order, stream limits and connection shutdown.</summary>
public abstract partial class MuxerConformanceTests<TFactory>
{
    [Fact]
    public async Task Reset_fails_pending_reads_and_later_writes_on_both_sides()
    {
        await using var pair = await ConnectAsync();
        var client = await pair.Client.OpenStreamAsync();
        await client.Output.WriteAsync("hello"u8.ToArray());
        var server = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Patience))!;
        Assert.Equal("hello"u8.ToArray(), await StreamData.ReadExactlyAsync(server.Input, 5));

        var serverRead = server.Input.ReadAsync().AsTask();
        var clientRead = client.Input.ReadAsync().AsTask();
        await Task.Delay(50);
        Assert.False(serverRead.IsCompleted);
        Assert.False(clientRead.IsCompleted);

        client.Reset();

        var local = await Assert.ThrowsAsync<StreamResetException>(() => clientRead.WaitAsync(Patience));
        Assert.False(local.Remote);
        var remote = await Assert.ThrowsAsync<StreamResetException>(() => serverRead.WaitAsync(Patience));
        Assert.True(remote.Remote);

        await Assert.ThrowsAsync<StreamResetException>(async () => await client.Output.WriteAsync(new byte[10]));
        await Assert.ThrowsAsync<StreamResetException>(async () => await server.Output.WriteAsync(new byte[10]));

        // The connection and other streams go on.
        await AssertEchoRoundTripAsync(pair);
    }

    [Fact]
    public async Task Reset_while_the_writer_waits_for_window_fails_that_write()
    {
        await using var pair = await ConnectAsync();
        var client = await pair.Client.OpenStreamAsync();
        await client.Output.WriteAsync(new byte[1]);
        var server = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Patience))!;

        // Nobody reads on the server, so this write blocks once the window and buffers are full.
        var writing = StreamData.WriteAllAsync(client.Output, new byte[8 * 1024 * 1024], complete: false);
        await Task.Delay(200);
        Assert.False(writing.IsCompleted);

        server.Reset();
        await Assert.ThrowsAsync<StreamResetException>(() => writing.WaitAsync(Patience));
    }

    [Fact]
    public async Task Streams_close_in_any_order_without_disturbing_each_other()
    {
        await using var pair = await ConnectAsync();
        var a = await pair.Client.OpenStreamAsync();
        var b = await pair.Client.OpenStreamAsync();
        var c = await pair.Client.OpenStreamAsync();
        foreach (var stream in new[] { a, b, c })
        {
            await stream.Output.WriteAsync(new byte[] { (byte)stream.Id });
        }

        var accepted = new Dictionary<long, IMuxedStream>();
        for (var i = 0; i < 3; i++)
        {
            var stream = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Patience))!;
            var first = await StreamData.ReadExactlyAsync(stream.Input, 1);
            accepted[first[0]] = stream;
        }

        var serverA = accepted[(byte)a.Id];
        var serverB = accepted[(byte)b.Id];
        var serverC = accepted[(byte)c.Id];

        // The last opened closes first, from the client; the server answers after it.
        await c.Output.CompleteAsync();
        Assert.Empty(await StreamData.ReadToEndAsync(serverC.Input).WaitAsync(Patience));
        var readingC = StreamData.ReadToEndAsync(c.Input);
        await StreamData.WriteAllAsync(serverC.Output, StreamData.Pattern(3, 300_000)).WaitAsync(Patience);
        Assert.Equal(300_000, (await readingC.WaitAsync(Patience)).Length);

        // The middle one is reset by the server.
        serverB.Reset();
        await Assert.ThrowsAsync<StreamResetException>(() => StreamData.ReadToEndAsync(b.Input).WaitAsync(Patience));

        // The first opened still works both ways, and the server closes its side first.
        var dataA = StreamData.Pattern(1, 500_000);
        var clientReadsA = StreamData.ReadToEndAsync(a.Input);
        var serverReadsA = StreamData.ReadToEndAsync(serverA.Input);
        await StreamData.WriteAllAsync(serverA.Output, dataA).WaitAsync(Patience);
        await StreamData.WriteAllAsync(a.Output, dataA).WaitAsync(Patience);
        StreamData.AssertSame(dataA, await clientReadsA.WaitAsync(Patience));
        StreamData.AssertSame(dataA, await serverReadsA.WaitAsync(Patience));
    }

    [Fact]
    public async Task Streams_past_the_limit_are_refused_and_the_rest_keep_working()
    {
        const int Extra = 20;
        var limit = Factory.MaxConcurrentStreams;
        await using var pair = await ConnectAsync();

        var accepted = new List<IMuxedStream>();
        var acceptor = Task.Run(async () =>
        {
            while (await pair.Server.AcceptStreamAsync() is { } stream)
            {
                lock (accepted)
                {
                    accepted.Add(stream);
                }

                // Answer one byte and keep the stream open.
                var first = await StreamData.ReadExactlyAsync(stream.Input, 1);
                await stream.Output.WriteAsync(first);
            }
        });

        var opened = new List<IMuxedStream>();
        for (var i = 0; i < limit + Extra; i++)
        {
            var stream = await pair.Client.OpenStreamAsync().AsTask().WaitAsync(Patience);
            opened.Add(stream);
            try
            {
                await stream.Output.WriteAsync(new byte[] { (byte)i });
            }
            catch (StreamResetException)
            {
                // Refused already; the read below sees the same reset.
            }
        }

        var outcomes = await Task.WhenAll(opened.Select(async (stream, i) =>
        {
            try
            {
                var answer = await StreamData.ReadExactlyAsync(stream.Input, 1).WaitAsync(Patience);
                Assert.Equal((byte)i, answer[0]);
                return true;
            }
            catch (StreamResetException)
            {
                return false;
            }
        }));

        Assert.Equal(limit, outcomes.Count(served => served));
        Assert.Equal(Extra, outcomes.Count(served => !served));
        lock (accepted)
        {
            Assert.Equal(limit, accepted.Count);
        }

        // An open stream still answers at once.
        var open = opened[0];
        var timer = Stopwatch.StartNew();
        await open.Output.WriteAsync(new byte[] { 42 });
        var server = accepted.Single(s => s.Id == open.Id);
        Assert.Equal(42, (await StreamData.ReadExactlyAsync(server.Input, 1).WaitAsync(Patience))[0]);
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(2), $"a round trip on a surviving stream took {timer.Elapsed}");

        await pair.Client.CloseAsync();
        await acceptor.WaitAsync(Patience);
    }

    [Fact]
    public async Task Closing_one_side_ends_the_other_with_a_reason()
    {
        await using var pair = await ConnectAsync();
        var client = await pair.Client.OpenStreamAsync();
        await client.Output.WriteAsync(new byte[1]);
        var server = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Patience))!;
        await StreamData.ReadExactlyAsync(server.Input, 1);
        var pendingAccept = pair.Server.AcceptStreamAsync().AsTask();
        var pendingRead = server.Input.ReadAsync().AsTask();

        await pair.Client.CloseAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(MuxerCloseKind.Local, pair.Client.CloseReason?.Kind);
        Assert.True(pair.Client.Closed.IsCancellationRequested);
        await WaitUntilAsync(() => pair.Server.Closed.IsCancellationRequested);
        Assert.NotNull(pair.Server.CloseReason);
        Assert.Contains(pair.Server.CloseReason!.Kind, new[] { MuxerCloseKind.RemoteGoAway, MuxerCloseKind.TransportClosed });

        Assert.Null(await pendingAccept.WaitAsync(Patience));
        var reset = await Assert.ThrowsAsync<StreamResetException>(() => pendingRead.WaitAsync(Patience));
        Assert.IsType<MuxerClosedException>(reset.InnerException);
        await Assert.ThrowsAsync<MuxerClosedException>(async () => await pair.Server.OpenStreamAsync());
        await Assert.ThrowsAsync<MuxerClosedException>(async () => await pair.Client.OpenStreamAsync());
        await Assert.ThrowsAsync<StreamResetException>(async () => await client.Output.WriteAsync(new byte[1]));
    }

    [Fact]
    public async Task Dispose_waits_for_every_background_task()
    {
        var pair = await ConnectAsync();
        var client = await pair.Client.OpenStreamAsync();
        await client.Output.WriteAsync(new byte[1000]);
        var server = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Patience))!;
        var pendingRead = server.Input.ReadAtLeastAsync(2000).AsTask();

        await pair.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.True(Factory.BackgroundWorkDone(pair.Client));
        Assert.True(Factory.BackgroundWorkDone(pair.Server));
        await Assert.ThrowsAsync<StreamResetException>(() => pendingRead.WaitAsync(Patience));

        // Disposing again is harmless.
        await pair.Client.DisposeAsync();
    }
}
