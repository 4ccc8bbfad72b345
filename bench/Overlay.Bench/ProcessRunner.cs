using System.Diagnostics;
using System.Globalization;

namespace Overlay.Bench;

/// <summary>Runs a command under GNU time to get wall time and peak resident memory.</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, long PeakRssKiB);

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var timeFile = Path.GetTempFileName();
        var startInfo = new ProcessStartInfo("/usr/bin/time")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-f", "%M", "-o", timeFile, fileName }.Concat(args))
        {
            startInfo.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        watch.Stop();
        var peak = long.TryParse((await File.ReadAllTextAsync(timeFile)).Trim().Split('\n')[^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kib) ? kib : 0;
        File.Delete(timeFile);
        var result = new Result(process.ExitCode, await stdout, await stderr, watch.Elapsed, peak);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        }
        return result;
    }
}
