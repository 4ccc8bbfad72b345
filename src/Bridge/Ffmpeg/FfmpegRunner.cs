using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Overlay.Manifest.Errors;

namespace Overlay.Bridge.Ffmpeg;

/// <summary>
/// Runs ffmpeg and ffprobe with an argument list (never through a shell, so no quoting and no
/// injection), stdin closed, stdout captured up to a bound and stderr's tail kept for errors.
/// Cancelling kills the whole process tree and waits for it to exit.
/// </summary>
public sealed class FfmpegRunner
{
    /// <summary>Stderr kept for an error: ffmpeg's last lines say why it failed; the rest is progress.</summary>
    public const int MaxStandardErrorChars = 16 * 1024;

    /// <summary>Stdout accepted: ffprobe's JSON for a file with a few streams is a few KiB.</summary>
    public const int MaxStandardOutputBytes = 4 * 1024 * 1024;

    public FfmpegRunner(string ffmpegPath = "ffmpeg", string ffprobePath = "ffprobe")
    {
        ArgumentException.ThrowIfNullOrEmpty(ffmpegPath);
        ArgumentException.ThrowIfNullOrEmpty(ffprobePath);
        FfmpegPath = ffmpegPath;
        FfprobePath = ffprobePath;
    }

    public string FfmpegPath { get; }

    public string FfprobePath { get; }

    /// <summary>Runs ffmpeg; a non-zero exit is an <see cref="FfmpegException"/>.</summary>
    public Task<ProcessResult> FfmpegAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        RunCheckedAsync(FfmpegPath, ["-hide_banner", "-nostdin", .. arguments], cancellationToken);

    /// <summary>
    /// Runs ffmpeg with <paramref name="standardInput"/> copied to its stdin (an input of
    /// <c>-</c> or <c>pipe:0</c>), closed at its end; a non-zero exit is an <see cref="FfmpegException"/>.
    /// </summary>
    public async Task<ProcessResult> FfmpegAsync(IReadOnlyList<string> arguments, Stream standardInput, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(standardInput);
        var result = await RunAsync(FfmpegPath, ["-hide_banner", "-nostdin", .. arguments], standardInput, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? result : throw new FfmpegException(Path.GetFileName(FfmpegPath), result.ExitCode, result.StandardErrorTail);
    }

    /// <summary>Runs ffprobe; a non-zero exit is an <see cref="FfmpegException"/>.</summary>
    public Task<ProcessResult> FfprobeAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        RunCheckedAsync(FfprobePath, ["-hide_banner", .. arguments], cancellationToken);

    /// <summary>Runs any program; the caller judges the exit code.</summary>
    public static Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        RunAsync(program, arguments, null, cancellationToken);

    private static async Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> arguments, Stream? standardInput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"cannot start {program}: {e.Message} (install ffmpeg, e.g. apt-get install ffmpeg)", e);
        }
        var stdin = FeedAsync(process, standardInput, cancellationToken);
        var stdout = ReadBoundedAsync(process, program);
        var stderr = ReadTailAsync(process.StandardError);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(stdin, stdout, stderr).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }
        await stdin.ConfigureAwait(false);
        var output = await stdout.ConfigureAwait(false);
        return new ProcessResult(process.ExitCode, output, await stderr.ConfigureAwait(false));
    }

    private static async Task<ProcessResult> RunCheckedAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(program, arguments, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? result : throw new FfmpegException(Path.GetFileName(program), result.ExitCode, result.StandardErrorTail);
    }

    /// <summary>Copies the input to the process's stdin and closes it (at once when there is none).</summary>
    private static async Task FeedAsync(Process process, Stream? input, CancellationToken cancellationToken)
    {
        try
        {
            if (input is not null)
            {
                await input.CopyToAsync(process.StandardInput.BaseStream, cancellationToken).ConfigureAwait(false);
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process stopped reading (it exited, or closed its stdin): its exit code tells why.
        }
        catch (OperationCanceledException)
        {
            // Cancelled: the process tree is being killed.
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }
    }

    /// <summary>Reads stdout; past the bound it kills the process (which would block on a full pipe) and throws.</summary>
    private static async Task<byte[]> ReadBoundedAsync(Process process, string program)
    {
        var stream = process.StandardOutput.BaseStream;
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxStandardOutputBytes)
            {
                KillTree(process);
                throw new LimitExceededException("ffmpeg", $"{Path.GetFileName(program)} output", MaxStandardOutputBytes, buffer.Length + read);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static async Task<string> ReadTailAsync(StreamReader reader)
    {
        var tail = new StringBuilder();
        var chunk = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            tail.Append(chunk, 0, read);
            if (tail.Length > 2 * MaxStandardErrorChars)
            {
                tail.Remove(0, tail.Length - MaxStandardErrorChars);
            }
        }
        return tail.Length > MaxStandardErrorChars ? tail.ToString(tail.Length - MaxStandardErrorChars, MaxStandardErrorChars) : tail.ToString();
    }
}
