namespace Overlay.Bench.P2p;

/// <summary>One system's measurements across the runs of <see cref="Libp2pScenario"/>.</summary>
internal sealed class Libp2pSamples
{
    private readonly Dictionary<int, Samples> _throughput = [];
    private readonly Dictionary<int, Samples> _clientAllocations = [];
    private readonly Dictionary<int, Samples> _serverAllocations = [];
    private readonly Dictionary<int, Samples> _jit = [];
    private readonly Dictionary<int, Samples> _cpu = [];
    private readonly Dictionary<int, Samples> _warmupPasses = [];

    public Samples LatencyMedian { get; } = new();

    public Samples LatencyP99 { get; } = new();

    public Samples Throughput(int streams) => Get(_throughput, streams);

    public Samples ClientAllocations(int streams) => Get(_clientAllocations, streams);

    public Samples ServerAllocations(int streams) => Get(_serverAllocations, streams);

    /// <summary>Milliseconds both processes spent in the JIT during the timed pass (Overlay only).</summary>
    public Samples Jit(int streams) => Get(_jit, streams);

    /// <summary>Warm-up passes the Overlay client needed before its JIT was quiet.</summary>
    public Samples WarmupPasses(int streams) => Get(_warmupPasses, streams);

    public void AddJit(int streams, double milliseconds, double warmupPasses)
    {
        Get(_jit, streams).Add(milliseconds);
        Get(_warmupPasses, streams).Add(warmupPasses);
    }

    /// <summary>CPU seconds per GiB, both processes together.</summary>
    public Samples Cpu(int streams) => Get(_cpu, streams);

    public void AddCpu(int streams, double secondsPerGiB) => Get(_cpu, streams).Add(secondsPerGiB);

    public void AddThroughput(int streams, double megabytesPerSecond) => Get(_throughput, streams).Add(megabytesPerSecond);

    public void AddAllocations(int streams, double clientPerMiB, double serverPerMiB)
    {
        Get(_clientAllocations, streams).Add(clientPerMiB);
        Get(_serverAllocations, streams).Add(serverPerMiB);
    }

    /// <summary>One run's connection times: its median and 99th percentile (nearest rank) become one sample each.</summary>
    public void AddLatency(IReadOnlyList<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        LatencyMedian.Add(sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2);
        LatencyP99.Add(sorted[Math.Max(0, (int)Math.Ceiling(0.99 * sorted.Length) - 1)]);
    }

    private static Samples Get(Dictionary<int, Samples> samples, int streams)
    {
        if (!samples.TryGetValue(streams, out var found))
        {
            found = new Samples();
            samples[streams] = found;
        }
        return found;
    }
}
