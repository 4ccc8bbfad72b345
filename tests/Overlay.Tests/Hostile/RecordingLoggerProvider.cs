using Microsoft.Extensions.Logging;

namespace Overlay.Tests.Hostile;

/// <summary>
/// Records every log event at every level, so a test can assert that a refusal was logged with its
/// typed reason. Also serves as the host's <see cref="ILoggerFactory"/> (the Logging package with
/// the real factory is not referenced).
/// </summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider, ILoggerFactory
{
    private readonly Lock _sync = new();
    private readonly List<LogEvent> _events = [];
    private readonly List<(Func<LogEvent, bool> Match, TaskCompletionSource<LogEvent> Found)> _waiters = [];

    public IReadOnlyList<LogEvent> Events
    {
        get
        {
            lock (_sync)
            {
                return [.. _events];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the recorder is the only provider");

    /// <summary>The first event (already logged or still to come) that matches, or a timeout.</summary>
    public async Task<LogEvent> WaitForAsync(Func<LogEvent, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<LogEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            if (_events.FirstOrDefault(match) is { } logged)
            {
                return logged;
            }
            _waiters.Add((match, found));
        }
        try
        {
            return await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            var seen = string.Join(Environment.NewLine, Events.Select(e => $"  {e.EventId.Id} {e.Level}: {e.Message} [{e.Exception?.GetType().Name}]"));
            throw new TimeoutException($"no matching log event within {timeout}; logged:{Environment.NewLine}{seen}");
        }
    }

    private void Add(LogEvent logEvent)
    {
        List<TaskCompletionSource<LogEvent>> woken = [];
        lock (_sync)
        {
            _events.Add(logEvent);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(logEvent))
                {
                    woken.Add(_waiters[i].Found);
                    _waiters.RemoveAt(i);
                }
            }
        }
        foreach (var found in woken)
        {
            found.TrySetResult(logEvent);
        }
    }

    public void Dispose()
    {
    }

    private sealed class Recorder(RecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new LogEvent(category, logLevel, eventId, formatter(state, exception), exception, System.Diagnostics.Stopwatch.GetTimestamp()));
    }
}
