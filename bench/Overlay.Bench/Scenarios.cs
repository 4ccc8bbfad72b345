namespace Overlay.Bench;

/// <summary>A measurement that yields report rows.</summary>
internal interface IScenario
{
    string Name { get; }

    Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchContext context);
}
