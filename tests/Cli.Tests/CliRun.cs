using System.Text;

namespace Overlay.Cli.Tests;

/// <summary>What one in-process run of the CLI produced.</summary>
internal sealed record CliRun(int ExitCode, byte[] Output, string Error)
{
    public string Text => Encoding.UTF8.GetString(Output);

    /// <summary>The printed lines without the final newline.</summary>
    public string[] Lines => Text.TrimEnd('\n').Split('\n');

    public CliRun AssertSuccess()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}, stderr: {Error}");
        Assert.Equal("", Error);
        return this;
    }

    /// <summary>A failed run writes exactly one "Error: …" line and nothing to stdout.</summary>
    public CliRun AssertOneLineError(string contains)
    {
        Assert.Equal(1, ExitCode);
        Assert.Empty(Output);
        var lines = Error.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("Error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(contains, lines[0], StringComparison.Ordinal);
        return this;
    }
}
