using System.Diagnostics;
using System.Runtime;
using System.Text.Json.Serialization;

namespace Overlay.Bench.P2p;

/// <summary>
/// What a bench process has used so far, as `/bench/stats/1.0.0` reports it (JSON). The js
/// server reports only <see cref="CpuMs"/>; the others are Overlay's and read as 0 from js.
/// </summary>
internal sealed record ProcessStats(
    [property: JsonPropertyName("cpuMs")] double CpuMs,
    [property: JsonPropertyName("allocated")] long Allocated,
    [property: JsonPropertyName("jitMs")] double JitMs,
    [property: JsonPropertyName("methods")] long Methods)
{
    /// <summary>The process's peak resident memory so far (KiB); 0 when unknown. Not subtracted by the operator below.</summary>
    [JsonPropertyName("peakRssKiB")]
    public long PeakRss { get; init; }

    /// <summary>VmHWM from /proc/self/status: the high-water mark of resident memory.</summary>
    public static long PeakRssKiB()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public static ProcessStats Current()
    {
        using var process = Process.GetCurrentProcess();
        return new(process.TotalProcessorTime.TotalMilliseconds, GC.GetTotalAllocatedBytes(precise: true),
            JitInfo.GetCompilationTime().TotalMilliseconds, JitInfo.GetCompiledMethodCount())
        {
            PeakRss = PeakRssKiB(),
        };
    }

    public static ProcessStats operator -(ProcessStats after, ProcessStats before) =>
        new(after.CpuMs - before.CpuMs, after.Allocated - before.Allocated, after.JitMs - before.JitMs, after.Methods - before.Methods)
        {
            PeakRss = after.PeakRss,
        };
}
