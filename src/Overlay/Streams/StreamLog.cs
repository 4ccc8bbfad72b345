using Microsoft.Extensions.Logging;

namespace Overlay.Streams;

/// <summary>Source-generated log messages of the stream service, with stable event ids (4500-4599).</summary>
internal static partial class StreamLog
{
    [LoggerMessage(EventId = 4500, Level = LogLevel.Warning, Message = "Stream {Stream}: head from {Peer} refused ({Reason}): {Detail}")]
    public static partial void HeadRejected(ILogger logger, string stream, string peer, string reason, string detail);

    [LoggerMessage(EventId = 4501, Level = LogLevel.Information, Message = "Stream {Stream}: following head of size {Size} ({Cid})")]
    public static partial void HeadAccepted(ILogger logger, string stream, long size, string cid);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Stream {Stream}: bundle {Seq} refused ({Reason}): {Detail}")]
    public static partial void BundleRejected(ILogger logger, string stream, long seq, string reason, string detail);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Debug, Message = "Stream {Stream}: bundle {Seq} not fetched yet: {Detail}")]
    public static partial void BundleMissing(ILogger logger, string stream, long seq, string detail);

    [LoggerMessage(EventId = 4504, Level = LogLevel.Information, Message = "Stream {Stream}: all {Size} bundles held and pinned")]
    public static partial void Completed(ILogger logger, string stream, long size);

    [LoggerMessage(EventId = 4505, Level = LogLevel.Warning, Message = "Stream {Stream}: {Detail}")]
    public static partial void Problem(ILogger logger, string stream, string detail);
}
