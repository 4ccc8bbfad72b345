namespace Overlay.Bench;

/// <summary>A measurement that yields report rows.</summary>
internal interface IScenario
{
    string Name { get; }

    /// <summary>
    /// When set, a merged run (<c>--only</c>) drops the report's earlier rows that start with it
    /// and are not produced again, so renamed or re-parameterised rows do not linger.
    /// </summary>
    string? RowPrefix => null;

    /// <summary>
    /// Left out of <c>--quick</c> (unless named with <c>--only</c>): sweeps and micro-benchmarks that
    /// are not a side-by-side scenario, so the quick run stays under ten minutes.
    /// </summary>
    bool FullRunOnly => false;

    Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchContext context);
}
