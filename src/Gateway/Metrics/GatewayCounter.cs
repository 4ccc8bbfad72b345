namespace Overlay.Gateway.Metrics;

/// <summary>A monotonically increasing count (a Prometheus counter), safe to bump from any thread.</summary>
public sealed class GatewayCounter
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Add(long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        Interlocked.Add(ref _value, amount);
    }
}
