using Microsoft.Extensions.Logging;

namespace Overlay.Tests.Hostile;

/// <summary>One log call as the host made it, with its <see cref="System.Diagnostics.Stopwatch"/> timestamp.</summary>
internal sealed record LogEvent(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception, long Timestamp);
