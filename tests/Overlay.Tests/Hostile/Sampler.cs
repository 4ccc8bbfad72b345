namespace Overlay.Tests.Hostile;

/// <summary>Samples two gauges every millisecond in the background and keeps their maxima.</summary>
internal sealed class Sampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<(int, int)> _running;

    private Sampler(Func<int> first, Func<int> second) => _running = Task.Run(async () =>
    {
        var (a, b) = (0, 0);
        while (!_stop.IsCancellationRequested)
        {
            a = Math.Max(a, first());
            b = Math.Max(b, second());
            await Task.Delay(1);
        }
        return (a, b);
    });

    public static Sampler Start(Func<int> first, Func<int> second) => new(first, second);

    /// <summary>Stops sampling; returns the largest values seen.</summary>
    public (int First, int Second) Stop()
    {
        _stop.Cancel();
        return _running.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
