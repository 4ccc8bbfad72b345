using Microsoft.Extensions.Logging;

namespace Overlay.Cli.Daemon;

/// <summary>
/// The daemon's log: warnings and errors as "warn: Category: message" lines on stderr, the
/// way the console logger shows them, so a refused peer or a failed background task is seen
/// without a logging framework. Lines from concurrent components never interleave.
/// </summary>
internal sealed class ErrorStreamLoggerFactory(TextWriter error, LogLevel minimum = LogLevel.Warning) : ILoggerFactory
{
    private readonly Lock _write = new();
    private readonly LogLevel _minimum = minimum;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("the daemon log writes to stderr only");

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var label = level switch
        {
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            LogLevel.Critical => "crit",
            LogLevel.Information => "info",
            _ => "dbug",
        };
        var line = exception is null ? $"{label}: {category}: {message}" : $"{label}: {category}: {message}: {exception}";
        lock (_write)
        {
            error.WriteLine(line);
        }
    }

    private sealed class Logger(ErrorStreamLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= factory._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                factory.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
