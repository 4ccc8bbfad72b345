using System.Text;

namespace Overlay.Cli;

/// <summary>
/// The three standard streams a command may use. Binary output (block bytes, file contents,
/// CAR files) goes to <see cref="Output"/> as raw bytes; text goes through <see cref="Out"/>,
/// which writes UTF-8 with "\n" line ends into the same stream and flushes on every write so the
/// two never interleave out of order.
/// </summary>
internal sealed class CliConsole
{
    public CliConsole(Stream input, Stream output, TextWriter error, bool errorIsTerminal = false)
    {
        ErrorIsTerminal = errorIsTerminal;
        Input = input;
        Output = output;
        Error = error;
        Out = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 4096, leaveOpen: true)
        {
            AutoFlush = true,
            NewLine = "\n",
        };
    }

    /// <summary>The process's real streams (stdout opened raw, not through Console.Out).</summary>
    public static CliConsole FromProcess() =>
        new(Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error, errorIsTerminal: !Console.IsErrorRedirected);

    public Stream Input { get; }

    public Stream Output { get; }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Whether a person is watching stderr, so progress lines are welcome there.</summary>
    public bool ErrorIsTerminal { get; }
}
