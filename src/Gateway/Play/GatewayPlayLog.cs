using Microsoft.Extensions.Logging;

namespace Overlay.Gateway.Play;

/// <summary>Source-generated logs of the gateway's HLS side (event ids 6100–6199).</summary>
internal static partial class GatewayPlayLog
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "gateway: segment {Seq} of stream {Stream} aborted mid-body: {Reason}")]
    public static partial void SegmentAborted(ILogger logger, string stream, long seq, string reason);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Debug, Message = "gateway: fetching ahead of segment {Seq} of stream {Stream} failed: {Reason}")]
    public static partial void PrefetchFailed(ILogger logger, string stream, long seq, string reason);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "gateway: {Path} answered {Status}: {Reason}")]
    public static partial void Refused(ILogger logger, string path, int status, string reason);
}
