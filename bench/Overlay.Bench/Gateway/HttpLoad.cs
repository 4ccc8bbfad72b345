using System.Diagnostics;

namespace Overlay.Bench.Gateway;

/// <summary>
/// Our own small load client: <c>clients</c> loops, each issuing GETs back to back for a fixed
/// time over one shared connection pool, reading every body to the end. Reports requests per
/// second, bytes per second and the 99th percentile latency (request sent → last byte read).
/// </summary>
internal static class HttpLoad
{
    public sealed record Result(double RequestsPerSecond, double MegabytesPerSecond, double P99Milliseconds, double MedianMilliseconds, int Failures);

    public static async Task<Result> RunAsync(HttpClient http, Func<int, string> path, int clients, TimeSpan duration)
    {
        var latencies = new List<double>[clients];
        var bytes = new long[clients];
        var failures = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            var mine = latencies[client] = [];
            var buffer = new byte[64 * 1024];
            for (var i = 0; watch.Elapsed < duration; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(path(client + i * clients), HttpCompletionOption.ResponseHeadersRead);
                await using var body = await response.Content.ReadAsStreamAsync();
                int read;
                while ((read = await body.ReadAsync(buffer)) > 0)
                {
                    bytes[client] += read;
                }
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var seconds = watch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(all.Length / seconds, bytes.Sum() / seconds / 1e6, Percentile(all, 0.99), Percentile(all, 0.5), failures);
    }

    /// <summary>Time from sending the request to the first body byte (headers and one read).</summary>
    public static async Task<double> FirstByteMillisecondsAsync(HttpClient http, string path)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var first = new byte[1];
        if (await body.ReadAsync(first) != 1)
        {
            throw new InvalidOperationException($"{path} answered an empty body");
        }
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await body.CopyToAsync(Stream.Null);
        return elapsed;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
