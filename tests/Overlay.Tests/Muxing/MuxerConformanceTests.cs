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
public abstract partial class MuxerConformanceTests<TFactory>(ITestOutputHelper output)
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
        await StreamData.WriteAllAsync(client.Output, request).WaitAsync(Patience);
        var answer = await StreamData.ReadToEndAsync(client.Input).WaitAsync(Patience);
        await server.WaitAsync(Patience);
        StreamData.AssertSame(response, answer);
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
