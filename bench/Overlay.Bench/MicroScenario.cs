using System.Globalization;
using System.Text.Json;

namespace Overlay.Bench;

/// <summary>
/// The BenchmarkDotNet micro-benchmarks of bench/Overlay.Micro (varint, CID, dag-cbor, Noise
/// frames, yamux headers), run in-process with BenchmarkDotNet's short job; each becomes a row
/// with its median, min–max over the measured iterations and allocations per operation.
/// These have no js counterpart in the run: the side-by-side rows are the scenarios above.
/// </summary>
internal sealed class MicroScenario : IScenario
{
    public string Name => "micro";

    public bool FullRunOnly => true;

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchContext context)
    {
        var artifacts = Path.Combine(context.WorkDir, "micro");
        var micro = Path.Combine(context.RepositoryRoot, "bench", "Overlay.Micro", "bin", "Release", "net10.0", "Overlay.Micro.dll");
        string[] job = context.Quick ? ["--job", "short", "--warmupCount", "1", "--iterationCount", "3"] : ["--job", "short"];
        await ProcessRunner.RunAsync("dotnet", [micro, "--filter", "*", "--inProcess", "--exporters", "json", "--artifacts", artifacts, .. job]);
        var rows = new List<BenchmarkRow>();
        foreach (var report in Directory.GetFiles(Path.Combine(artifacts, "results"), "*-report-full-compressed.json").Order(StringComparer.Ordinal))
        {
            using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(report));
            foreach (var benchmark in json.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                rows.Add(ToRow(benchmark, context));
            }
        }
        return rows;
    }

    private static BenchmarkRow ToRow(JsonElement benchmark, BenchContext context)
    {
        var type = benchmark.GetProperty("Type").GetString()!.Replace("Benchmarks", "", StringComparison.Ordinal);
        var parameters = benchmark.GetProperty("Parameters").GetString();
        var statistics = benchmark.GetProperty("Statistics");
        var allocated = benchmark.GetProperty("Memory").GetProperty("BytesAllocatedPerOperation").GetInt64();
        var name = $"micro: {type}.{benchmark.GetProperty("Method").GetString()}" + (string.IsNullOrEmpty(parameters) ? "" : $" ({parameters})");
        return new BenchmarkRow(name, "ns/op", Math.Round(statistics.GetProperty("Median").GetDouble(), 2), null, null, null,
            statistics.GetProperty("N").GetInt32(), context.Today)
        {
            OverlayMin = Math.Round(statistics.GetProperty("Min").GetDouble(), 2),
            OverlayMax = Math.Round(statistics.GetProperty("Max").GetDouble(), 2),
            Note = string.Create(CultureInfo.InvariantCulture, $"BenchmarkDotNet short job; {allocated} B allocated per op"),
        };
    }
}
