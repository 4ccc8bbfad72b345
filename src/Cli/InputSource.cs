namespace Overlay.Cli;

/// <summary>Opens a command's input: a file, or stdin for "-" or no argument (kubo's convention).</summary>
internal static class InputSource
{
    public const string StdinName = "-";

    public static bool IsStdin(string? path) => string.IsNullOrEmpty(path) || path == StdinName;

    public static Stream Open(CliConsole console, string? path)
    {
        if (IsStdin(path))
        {
            return new NonClosingStream(console.Input);
        }
        if (Directory.Exists(path))
        {
            throw new CliException($"{path} is a directory");
        }
        return new FileStream(path!, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
    }

    /// <summary>
    /// Reads all of <paramref name="stream"/>, failing once it passes <paramref name="limit"/>
    /// bytes so an oversized input is refused without being held whole.
    /// </summary>
    public static async Task<byte[]> ReadAllAsync(Stream stream, long limit, Func<long, Exception> tooLarge, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw tooLarge(buffer.Length + read);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
