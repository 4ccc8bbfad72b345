namespace Overlay.Cli;

/// <summary>
/// An expected failure of a command (bad argument, missing block, refused operation) whose
/// message is shown to the user as one line, with exit code 1.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException(string message, Exception? inner = null) : base(message, inner) { }
}
