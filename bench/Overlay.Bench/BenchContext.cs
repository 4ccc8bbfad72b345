namespace Overlay.Bench;

/// <summary>Where the tools are and how long to measure.</summary>
internal sealed record BenchContext(string RepositoryRoot, string OverlayCli, string Node, string JsDir, string WorkDir, bool Quick)
{
    public int Runs => Quick ? 3 : 5;

    public string Today { get; } = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
