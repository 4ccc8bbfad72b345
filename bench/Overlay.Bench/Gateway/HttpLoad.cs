using System.Diagnostics;
using System.Net;

namespace Overlay.Bench.Gateway;

/// <summary>
/// A closed-loop HTTP/1.1 load client: <c>concurrency</c> workers on keep-alive connections each
/// send the next GET as soon as the last body is read whole, for a fixed time. Reports requests
/// per second and latency percentiles (request sent to last body byte).
/// </summary>
internal static class HttpLoad
{
    public sealed record Result(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Bytes);

    /// <param name="expectedBytes">Each body's length, checked; negative: not checked.</param>
    public static async Task<Result> RunAsync(string url, int concurrency, TimeSpan duration, long expectedBytes)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        using var http = new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version11, Timeout = TimeSpan.FromSeconds(60) };
        // Warm-up: connections opened and the route JIT-compiled before the clock starts.
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => FetchAsync(http, url, new byte[1 << 16], expectedBytes)));
        var latencies = new List<double>[concurrency];
        var bytes = 0L;
        var clock = Stopwatch.StartNew();
        var end = duration;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            var buffer = new byte[1 << 16];
            while (clock.Elapsed < end)
            {
                var started = Stopwatch.GetTimestamp();
                Interlocked.Add(ref bytes, await FetchAsync(http, url, buffer, expectedBytes));
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), all.Length, bytes);
    }

    /// <summary>Time to the first body byte of one GET.</summary>
    public static async Task<double> TimeToFirstByteMsAsync(HttpClient http, string url)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var one = new byte[1];
        if (await body.ReadAsync(one) != 1)
        {
            throw new InvalidOperationException($"{url}: empty body");
        }
        var ttfb = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await body.CopyToAsync(Stream.Null);
        return ttfb;
    }

    private static async Task<long> FetchAsync(HttpClient http, string url, byte[] buffer, long expectedBytes)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }
        if (expectedBytes >= 0 && total != expectedBytes)
        {
            throw new InvalidOperationException($"{url}: {total} bytes, expected {expectedBytes}");
        }
        return total;
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
