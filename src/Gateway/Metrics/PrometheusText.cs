// Format: https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format (version 0.0.4)
using System.Globalization;
using System.Text;

namespace Overlay.Gateway.Metrics;

/// <summary>
/// Writes metric families in the Prometheus text format: HELP and TYPE once per family, then all
/// its samples together (the format requires a family's lines to be contiguous, whatever order
/// they were added in). The first help and type given for a family are the ones kept.
/// </summary>
internal sealed class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly List<string> _order = [];
    private readonly Dictionary<string, StringBuilder> _families = new(StringComparer.Ordinal);
    private StringBuilder _text = new();

    public PrometheusText Counter(string name, string help, double value, params (string Name, string Value)[] labels) =>
        Sample(name, "counter", help, name, value, labels);

    public PrometheusText Gauge(string name, string help, double value, params (string Name, string Value)[] labels) =>
        Sample(name, "gauge", help, name, value, labels);

    public PrometheusText Histogram(string name, string help, LatencyHistogram histogram, params (string Name, string Value)[] labels)
    {
        Declare(name, "histogram", help);
        var counts = histogram.CumulativeCounts();
        for (var i = 0; i < counts.Length; i++)
        {
            Line(name + "_bucket", counts[i], [.. labels, ("le", Number(histogram.Bounds[i]))]);
        }
        var total = histogram.Count;
        Line(name + "_bucket", total, [.. labels, ("le", "+Inf")]);
        Line(name + "_sum", histogram.SumSeconds, labels);
        Line(name + "_count", total, labels);
        return this;
    }

    public override string ToString() => string.Concat(_order.Select(f => _families[f].ToString()));

    private PrometheusText Sample(string family, string type, string help, string name, double value, (string Name, string Value)[] labels)
    {
        Declare(family, type, help);
        Line(name, value, labels);
        return this;
    }

    /// <summary>Points the writer at the family's lines, declaring it on first use.</summary>
    private void Declare(string family, string type, string help)
    {
        if (_families.TryGetValue(family, out var lines))
        {
            _text = lines;
        }
        else
        {
            _families[family] = _text = new StringBuilder();
            _order.Add(family);
            _text.Append("# HELP ").Append(family).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
            _text.Append("# TYPE ").Append(family).Append(' ').Append(type).Append('\n');
        }
    }

    private void Line(string name, double value, (string Name, string Value)[] labels)
    {
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    _text.Append(',');
                }
                _text.Append(labels[i].Name).Append("=\"").Append(Escape(labels[i].Value)).Append('"');
            }
            _text.Append('}');
        }
        _text.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);
}
