using System.Diagnostics;
using System.Net;

namespace Overlay.Bench.Gateway;

/// <summary>
/// Our own closed-loop HTTP/1.1 load client: <c>clients</c> workers on keep-alive connections
/// each send the next GET as soon as the last body is read whole, for a fixed time, after one
/// warm-up request each (connections open, routes JIT-compiled). Reports requests and bytes per
/// second and latency percentiles (request sent to last body byte).
/// </summary>
internal static class HttpLoad
{
    public sealed record Result(double RequestsPerSecond, double MegabytesPerSecond, double P50Ms, double P99Ms, long Requests, int Failures)
    {
        /// <summary>This result, or an exception when any answer was not a success: a failing server's rate is no rate.</summary>
        public Result Checked(string what) =>
            Failures == 0 ? this : throw new InvalidOperationException($"{what}: {Failures} of {Requests} requests failed");
    }

    /// <summary>A fresh keep-alive client with one connection per worker.</summary>
    public static HttpClient CreateClient(int connections, Uri? baseAddress = null) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        })
        {
            BaseAddress = baseAddress,
            DefaultRequestVersion = HttpVersion.Version11,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>GETs of one URL; every body must be <paramref name="expectedBytes"/> long (negative: not checked).</summary>
    public static async Task<Result> RunAsync(string url, int clients, TimeSpan duration, long expectedBytes)
    {
        using var http = CreateClient(clients);
        return await RunAsync(http, _ => url, clients, duration, expectedBytes);
    }

    /// <summary>GETs of <paramref name="path"/>(n) for the n-th request; non-success answers are counted as failures.</summary>
    public static async Task<Result> RunAsync(HttpClient http, Func<int, string> path, int clients, TimeSpan duration, long expectedBytes = -1)
    {
        var buffer = new byte[1 << 16];
        for (var client = 0; client < clients; client++)
        {
            await FetchAsync(http, path(client), buffer, expectedBytes);
        }
        var latencies = new List<double>[clients];
        var bytes = 0L;
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            var mine = latencies[client] = [];
            var own = new byte[1 << 16];
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var (read, ok) = await FetchAsync(http, path(client + i * clients), own, expectedBytes);
                Interlocked.Add(ref bytes, read);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(all.Length / seconds, bytes / seconds / 1e6, Percentile(all, 0.50), Percentile(all, 0.99), all.Length, failures);
    }

    /// <summary>Time from sending the request to the first body byte; the rest of the body is read afterwards.</summary>
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
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await body.CopyToAsync(Stream.Null);
        return elapsed;
    }

    private static async Task<(long Bytes, bool Ok)> FetchAsync(HttpClient http, string url, byte[] buffer, long expectedBytes)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }
        if (response.IsSuccessStatusCode && expectedBytes >= 0 && total != expectedBytes)
        {
            throw new InvalidOperationException($"{url}: {total} bytes, expected {expectedBytes}");
        }
        return (total, response.IsSuccessStatusCode);
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
