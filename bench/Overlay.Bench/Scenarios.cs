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

    Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchContext context);
}
