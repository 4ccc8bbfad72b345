namespace Overlay.Cli.Tests.Daemon;

/// <summary>A long-running CLI command (<c>pubsub sub</c>) run in-process, its output readable while it runs, stopped as Ctrl-C would.</summary>
internal sealed class BackgroundCommand : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CapturedOutput _output = new();
    private readonly StringWriter _error = new() { NewLine = "\n" };

    public BackgroundCommand(CliHarness cli, params string[] args)
    {
        var app = cli.CreateApp(new CliConsole(new MemoryStream(), _output, TextWriter.Synchronized(_error)));
        Exit = Task.Run(() => app.RunAsync([.. args, "--repo", cli.RepoPath], _stop.Token));
    }

    public Task<int> Exit { get; }

    public string Output => _output.Text;

    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Waits until <paramref name="count"/> lines are out (or the command ended, or the timeout).</summary>
    public async Task<string[]> WaitForLinesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Lines.Length < count && !Exit.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.True(Lines.Length >= count, $"{Lines.Length} of {count} lines within {timeout}; exit: {(Exit.IsCompleted ? Exit.Result : "running")}; output:\n{Output}\nstderr:\n{_error}");
        return Lines;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Exit.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C ends the command by cancelling it: that is the normal way out.
        }
        _stop.Dispose();
    }
}
