using System.Diagnostics;

namespace Overlay.Tests.Muxing;

/// <summary>
/// Bulk throughput on one connection, reported (not asserted: this machine is shared). Each run
/// first moves a little data untimed so the JIT and the buffer pools are warm.
/// </summary>
public abstract partial class MuxerConformanceTests<TFactory>
{
    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public async Task Throughput(int streams)
    {
        const long Total = 256L * 1024 * 1024;
        await using var pair = await ConnectAsync();

        await SendAsync(pair, 4, 32L * 1024 * 1024);
        var timer = Stopwatch.StartNew();
        var received = await SendAsync(pair, streams, Total);
        timer.Stop();

        Assert.Equal(Total, received);
        var rate = received / timer.Elapsed.TotalSeconds / (1024 * 1024);
        Output.WriteLine($"{GetType().Name}: {streams} stream(s), {received / (1024 * 1024)} MiB in {timer.Elapsed.TotalMilliseconds:F0} ms = {rate:F0} MiB/s");
    }

    /// <summary>Sends <paramref name="total"/> bytes split over <paramref name="streams"/> streams; returns what arrived.</summary>
    private static async Task<long> SendAsync(MuxerPair pair, int streams, long total)
    {
        var perStream = (int)(total / streams);
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

        await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => Task.Run(async () =>
        {
            var stream = await pair.Client.OpenStreamAsync();
            for (var sent = 0; sent < perStream; sent += chunk.Length)
            {
                await stream.Output.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, perStream - sent)));
            }

            await stream.Output.CompleteAsync();
        }))).WaitAsync(Patience);

        return await receivers.WaitAsync(Patience);
    }
}
