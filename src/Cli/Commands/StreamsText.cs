using System.Globalization;

namespace Overlay.Cli.Commands;

/// <summary>How the stream commands write sizes and progress: one redrawn line on a terminal, plain lines otherwise.</summary>
internal sealed class StreamsText(CliConsole console)
{
    private int _drawn;

    public void Progress(string text)
    {
        if (console.ErrorIsTerminal)
        {
            console.Error.Write("\r" + text + new string(' ', Math.Max(0, _drawn - text.Length)));
            _drawn = text.Length;
        }
        else
        {
            console.Error.WriteLine(text);
        }
    }

    public void EndProgress()
    {
        if (_drawn > 0)
        {
            console.Error.WriteLine();
            _drawn = 0;
        }
    }

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
    };
}
