using Microsoft.Extensions.Logging;

namespace Overlay.Streams.Sync;

/// <summary>Source-generated log messages of delay-tolerant sync and retention, with stable event ids (4600-4699).</summary>
internal static partial class SyncLog
{
    [LoggerMessage(EventId = 4600, Level = LogLevel.Warning, Message = "Sync with {Peer}: refused ({Reason}): {Detail}")]
    public static partial void Refused(ILogger logger, string peer, string reason, string detail);

    [LoggerMessage(EventId = 4601, Level = LogLevel.Information, Message = "Sync with {Peer}: took {Bundles} bundles ({Bytes} bytes)")]
    public static partial void Took(ILogger logger, string peer, int bundles, long bytes);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Information, Message = "Sync with {Peer}: pushed {Bundles} bundles ({Bytes} bytes)")]
    public static partial void Pushed(ILogger logger, string peer, int bundles, long bytes);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Debug, Message = "Sync with {Peer} ended: {Detail}")]
    public static partial void Ended(ILogger logger, string peer, string detail);

    [LoggerMessage(EventId = 4604, Level = LogLevel.Information, Message = "Stream {Stream}: reaped {Count} expired bundles ({Blocks} blocks removed)")]
    public static partial void Reaped(ILogger logger, string stream, int count, int blocks);

    [LoggerMessage(EventId = 4605, Level = LogLevel.Information, Message = "Stream {Stream}: bundle {Seq} is no longer in the repo (evicted); it will be fetched or pushed again")]
    public static partial void Lost(ILogger logger, string stream, long seq);
}
