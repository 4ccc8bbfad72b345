namespace Overlay.Tests.Hostile;

/// <summary>
/// Hostile-peer tests measure cut-off times, ping latency under a flood and allocations; they run
/// alone so other tests neither skew those numbers nor count toward them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileCollection
{
    public const string Name = "Hostile";
}
