namespace Overlay.Bench;

/// <summary>Repeated measurements of one quantity; reported as median with min–max.</summary>
internal sealed class Samples
{
    private readonly List<double> _values = [];

    public void Add(double value) => _values.Add(value);

    /// <summary>Adds <paramref name="value"/> to the samples named <paramref name="key"/>, creating them on first use.</summary>
    public static void AddTo(Dictionary<string, Samples> table, string key, double value)
    {
        if (!table.TryGetValue(key, out var found))
        {
            table[key] = found = new Samples();
        }
        found.Add(value);
    }

    public int Count => _values.Count;

    public double Median
    {
        get
        {
            var sorted = _values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    public double Min => _values.Min();

    public double Max => _values.Max();
}
