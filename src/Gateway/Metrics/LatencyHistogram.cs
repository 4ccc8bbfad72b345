namespace Overlay.Gateway.Metrics;

/// <summary>
/// A Prometheus histogram of durations in seconds with fixed buckets (cumulative when read, as
/// the text format wants). Observing is lock-free: one bucket counter, the count and the sum.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>
    /// Upper bounds in seconds: from 0.5 ms (a block from the local store) to 20 s (the gateway's
    /// default fetch bound), roughly ×2.5 apart, so both a loopback hop and a stalled peer land in
    /// a bucket of their own.
    /// </summary>
    public static IReadOnlyList<double> DefaultBounds { get; } =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];

    private readonly double[] _bounds;
    private readonly long[] _buckets;
    private long _count;
    private long _sumTicks;

    public LatencyHistogram(IReadOnlyList<double>? bounds = null)
    {
        _bounds = [.. bounds ?? DefaultBounds];
        if (_bounds.Length == 0 || _bounds.Zip(_bounds.Skip(1)).Any(p => p.First >= p.Second))
        {
            throw new ArgumentException("bounds must be non-empty and strictly increasing", nameof(bounds));
        }
        _buckets = new long[_bounds.Length];
    }

    public IReadOnlyList<double> Bounds => _bounds;

    public long Count => Interlocked.Read(ref _count);

    public double SumSeconds => TimeSpan.FromTicks(Interlocked.Read(ref _sumTicks)).TotalSeconds;

    public void Observe(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds;
        var index = Array.FindIndex(_bounds, b => seconds <= b);
        if (index >= 0)
        {
            Interlocked.Increment(ref _buckets[index]);
        }
        Interlocked.Add(ref _sumTicks, Math.Max(0, duration.Ticks));
        Interlocked.Increment(ref _count);
    }

    /// <summary>Observations at or under each bound (cumulative), in bound order; +Inf is <see cref="Count"/>.</summary>
    public long[] CumulativeCounts()
    {
        var result = new long[_buckets.Length];
        long running = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            running += Interlocked.Read(ref _buckets[i]);
            result[i] = running;
        }
        return result;
    }
}
