using System.Diagnostics;
using System.Security.Cryptography;
using Overlay.Muxing;
using Overlay.Tests.Support;
using Xunit.Abstractions;

namespace Overlay.Tests.Muxing;

/// <summary>
/// The behaviour every <see cref="IMuxedConnection"/> must show, whatever the muxer (go-libp2p's
/// p2p/muxer/testsuite in spirit). A concrete class picks the muxer (<typeparamref name="TFactory"/>)
/// and the transport underneath (<see cref="CreateTransportAsync"/>).
/// </summary>
public abstract class MuxerConformanceTests<TFactory>(ITestOutputHelper output)
    where TFactory : IMuxerFactory, new()
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    protected TFactory Factory { get; } = new();

    protected ITestOutputHelper Output { get; } = output;

    protected abstract Task<TransportPair> CreateTransportAsync();

    protected async Task<MuxerPair> ConnectAsync()
    {
        var transport = await CreateTransportAsync();
        return new MuxerPair(Factory.Create(transport.Client, isInitiator: true), Factory.Create(transport.Server, isInitiator: false), transport);
    }

    [Fact]
    public async Task Hundred_streams_carry_a_mebibyte_each_way_byte_exact()
    {
        const int Streams = 100;
        const int Size = 1024 * 1024;
        await using var pair = await ConnectAsync();

        var server = Task.Run(async () =>
        {
            var echoes = new List<Task>();
            for (var i = 0; i < Streams; i++)
            {
                var stream = await pair.Server.AcceptStreamAsync();
                Assert.NotNull(stream);
                echoes.Add(StreamData.EchoAsync(stream));
            }

            await Task.WhenAll(echoes);
        });

        var clients = Enumerable.Range(0, Streams).Select(i => Task.Run(async () =>
        {
            var stream = await pair.Client.OpenStreamAsync();
            var data = StreamData.Pattern(i, Size);
            var reading = StreamData.ReadToEndAsync(stream.Input);
            await StreamData.WriteAllAsync(stream.Output, data);
            StreamData.AssertSame(data, await reading);
        }));

        await Task.WhenAll(clients.Append(server)).WaitAsync(Patience);
    }

    [Fact]
    public async Task Both_sides_open_streams_at_the_same_time()
    {
        const int PerSide = 20;
        await using var pair = await ConnectAsync();

        static Task EchoAll(IMuxedConnection connection, int count) => Task.Run(async () =>
        {
            var echoes = new List<Task>();
            for (var i = 0; i < count; i++)
            {
                echoes.Add(StreamData.EchoAsync((await connection.AcceptStreamAsync())!));
            }

            await Task.WhenAll(echoes);
        });

        static Task<long[]> Open(IMuxedConnection connection, int count, int seed) => Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            var stream = await connection.OpenStreamAsync();
            var data = StreamData.Pattern(seed + i, 100_000);
            var reading = StreamData.ReadToEndAsync(stream.Input);
            await StreamData.WriteAllAsync(stream.Output, data);
            StreamData.AssertSame(data, await reading);
            return stream.Id;
        })));

        var work = Task.WhenAll(
            EchoAll(pair.Server, PerSide),
            EchoAll(pair.Client, PerSide));
        var clientIds = await Open(pair.Client, PerSide, 1000).WaitAsync(Patience);
        var serverIds = await Open(pair.Server, PerSide, 2000).WaitAsync(Patience);
        await work.WaitAsync(Patience);

        Assert.Equal(PerSide, clientIds.Distinct().Count());
        Assert.Equal(PerSide, serverIds.Distinct().Count());
    }

    [Fact]
    public async Task Half_close_lets_the_other_side_keep_writing()
    {
        await using var pair = await ConnectAsync();
        var request = StreamData.Pattern(1, 100_000);
        var response = StreamData.Pattern(2, 1024 * 1024);

        var server = Task.Run(async () =>
        {
            var stream = (await pair.Server.AcceptStreamAsync())!;
            var received = await StreamData.ReadToEndAsync(stream.Input);
            StreamData.AssertSame(request, received);

            // Our read side has ended; our write side is still open.
            await StreamData.WriteAllAsync(stream.Output, response);
        });

        var client = await pair.Client.OpenStreamAsync();
        await StreamData.WriteAllAsync(client.Output, request);
        var answer = await StreamData.ReadToEndAsync(client.Input).WaitAsync(Patience);
        await server.WaitAsync(Patience);
        StreamData.AssertSame(response, answer);
    }

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
    public async Task A_reader_that_does_not_read_stops_the_writer_at_the_window()
    {
        const int Chunk = 16 * 1024;
        const int Total = 4 * 1024 * 1024;
        await using var pair = await ConnectAsync();
        var client = await pair.Client.OpenStreamAsync();
        var server = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Patience))!;

        var data = StreamData.Pattern(7, Total);
        long written = 0;
        var writer = Task.Run(async () =>
        {
            for (var offset = 0; offset < Total; offset += Chunk)
            {
                await client.Output.WriteAsync(data.AsMemory(offset, Chunk));
                Interlocked.Add(ref written, Chunk);
            }

            await client.Output.CompleteAsync();
        });

        var stalled = await WaitForStallAsync(() => Interlocked.Read(ref written));
        Output.WriteLine($"writer stalled after {stalled} bytes; receiver buffers {Factory.BufferedInboundBytes(server)}");

        Assert.False(writer.IsCompleted);
        Assert.InRange(stalled, Factory.InitialWindow, Factory.InitialWindow + Factory.SenderBuffer + Chunk);
        Assert.InRange(Factory.BufferedInboundBytes(server), 1, Factory.InitialWindow);

        // Reading releases the writer, and every byte arrives in order.
        var received = await StreamData.ReadToEndAsync(server.Input).WaitAsync(Patience);
        await writer.WaitAsync(Patience);
        StreamData.AssertSame(data, received);
    }

    [Fact]
    public async Task One_64_MiB_write_arrives_whole()
    {
        const int Size = 64 * 1024 * 1024;
        await using var pair = await ConnectAsync();
        var data = StreamData.Pattern(64, Size);
        var expected = SHA256.HashData(data);

        var server = Task.Run(async () =>
        {
            var stream = (await pair.Server.AcceptStreamAsync())!;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            while (true)
            {
                var result = await stream.Input.ReadAsync();
                foreach (var segment in result.Buffer)
                {
                    hash.AppendData(segment.Span);
                    total += segment.Length;
                }

                stream.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return (total, hash.GetHashAndReset());
                }
            }
        });

        var client = await pair.Client.OpenStreamAsync();
        await client.Output.WriteAsync(data);
        await client.Output.CompleteAsync();
        var (received, digest) = await server.WaitAsync(Patience);
        Assert.Equal(Size, received);
        Assert.Equal(expected, digest);
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
        await StreamData.WriteAllAsync(serverC.Output, StreamData.Pattern(3, 300_000));
        Assert.Equal(300_000, (await StreamData.ReadToEndAsync(c.Input).WaitAsync(Patience)).Length);

        // The middle one is reset by the server.
        serverB.Reset();
        await Assert.ThrowsAsync<StreamResetException>(() => StreamData.ReadToEndAsync(b.Input).WaitAsync(Patience));

        // The first opened still works both ways, and the server closes its side first.
        var dataA = StreamData.Pattern(1, 500_000);
        await StreamData.WriteAllAsync(serverA.Output, dataA);
        await StreamData.WriteAllAsync(a.Output, dataA);
        StreamData.AssertSame(dataA, await StreamData.ReadToEndAsync(a.Input).WaitAsync(Patience));
        StreamData.AssertSame(dataA, await StreamData.ReadToEndAsync(serverA.Input).WaitAsync(Patience));
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

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public async Task Throughput(int streams)
    {
        const long Total = 256L * 1024 * 1024;
        var perStream = (int)(Total / streams);
        await using var pair = await ConnectAsync();
        var chunk = new byte[256 * 1024];

        var receivers = Task.Run(async () =>
        {
            var drains = new List<Task<long>>();
            for (var i = 0; i < streams; i++)
            {
                drains.Add(StreamData.DrainAsync((await pair.Server.AcceptStreamAsync())!.Input));
            }

            return (await Task.WhenAll(drains)).Sum();
        });

        var timer = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => Task.Run(async () =>
        {
            var stream = await pair.Client.OpenStreamAsync();
            for (var sent = 0; sent < perStream; sent += chunk.Length)
            {
                await stream.Output.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, perStream - sent)));
            }

            await stream.Output.CompleteAsync();
        })));
        var received = await receivers.WaitAsync(Patience);
        timer.Stop();

        Assert.Equal((long)perStream * streams, received);
        var rate = received / timer.Elapsed.TotalSeconds / (1024 * 1024);
        Output.WriteLine($"{GetType().Name}: {streams} stream(s), {received / (1024 * 1024)} MiB in {timer.Elapsed.TotalMilliseconds:F0} ms = {rate:F0} MiB/s");
    }

    protected static async Task AssertEchoRoundTripAsync(MuxerPair pair)
    {
        var echo = Task.Run(async () => await StreamData.EchoAsync((await pair.Server.AcceptStreamAsync())!));
        var stream = await pair.Client.OpenStreamAsync();
        var data = StreamData.Pattern(99, 10_000);
        await StreamData.WriteAllAsync(stream.Output, data);
        StreamData.AssertSame(data, await StreamData.ReadToEndAsync(stream.Input).WaitAsync(Patience));
        await echo.WaitAsync(Patience);
    }

    /// <summary>Waits until <paramref name="progress"/> stops changing for a while; returns where it stopped.</summary>
    protected static async Task<long> WaitForStallAsync(Func<long> progress)
    {
        var deadline = Stopwatch.StartNew();
        var last = -1L;
        var since = Stopwatch.StartNew();
        while (deadline.Elapsed < Patience)
        {
            await Task.Delay(50);
            var now = progress();
            if (now != last)
            {
                last = now;
                since.Restart();
            }
            else if (now > 0 && since.Elapsed > TimeSpan.FromMilliseconds(500))
            {
                return now;
            }
        }

        throw new TimeoutException($"progress never stopped (last {last})");
    }

    protected static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > Patience)
            {
                throw new TimeoutException("condition never became true");
            }

            await Task.Delay(10);
        }
    }
}
