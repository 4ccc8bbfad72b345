using System.Diagnostics;
using System.Globalization;

namespace Overlay.Cli;

/// <summary>
/// One self-overwriting progress line on stderr ("name  12.0 MiB / 40.0 MiB  30%"), redrawn at
/// most ten times a second. Used only when stderr is a terminal, so scripts never see it.
/// </summary>
internal sealed class ProgressLine(TextWriter error) : IProgress<long>, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private string _name = "";
    private long? _total;
    private int _drawnLength;

    public void Start(string name, long? total)
    {
        _name = name;
        _total = total;
        Draw(0);
    }

    public void Report(long value)
    {
        if (_sinceDraw.Elapsed >= Interval || value == _total)
        {
            Draw(value);
        }
    }

    public void Clear()
    {
        if (_drawnLength > 0)
        {
            error.Write("\r" + new string(' ', _drawnLength) + "\r");
            _drawnLength = 0;
        }
    }

    public void Dispose() => Clear();

    private void Draw(long done)
    {
        var text = _total is > 0 and { } total
            ? $"{_name}  {Size(done)} / {Size(total)}  {done * 100 / total}%"
            : $"{_name}  {Size(done)}";
        var padding = Math.Max(0, _drawnLength - text.Length);
        error.Write("\r" + text + new string(' ', padding));
        _drawnLength = text.Length;
        _sinceDraw.Restart();
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
    };
}
