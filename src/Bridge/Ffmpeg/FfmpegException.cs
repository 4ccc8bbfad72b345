using Overlay.Manifest.Errors;

namespace Overlay.Bridge.Ffmpeg;

/// <summary>
/// ffmpeg or ffprobe refused the input (a non-zero exit): the input is not media it can read
/// or convert. The message carries the exit code and the last line ffmpeg wrote to stderr;
/// <see cref="StandardErrorTail"/> keeps the end of its stderr for a log.
/// </summary>
public sealed class FfmpegException : MalformedDataException
{
    public FfmpegException(string tool, int exitCode, string standardErrorTail)
        : base("ffmpeg", $"{tool} exited with code {exitCode}: {LastLine(standardErrorTail)}")
    {
        ExitCode = exitCode;
        StandardErrorTail = standardErrorTail;
    }

    public int ExitCode { get; }

    public string StandardErrorTail { get; }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";
}
