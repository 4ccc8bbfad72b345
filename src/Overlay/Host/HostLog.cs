using Microsoft.Extensions.Logging;
using Overlay.Addressing;

namespace Overlay.Host;

/// <summary>Source-generated log messages of the host, with stable event ids.</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Listening on {Address}")]
    public static partial void Listening(ILogger logger, Multiaddr address);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Connected to {Peer} at {Address} ({Direction})")]
    public static partial void Connected(ILogger logger, string peer, Multiaddr address, string direction);

    /// <summary>Debug for a peer that left or lost its link, Warning for one cut for misbehaving; the exception is the muxer's close reason.</summary>
    [LoggerMessage(EventId = 1002, Message = "Disconnected from {Peer}: {Reason} ({Detail})")]
    public static partial void Disconnected(ILogger logger, LogLevel level, string peer, string reason, string detail, Exception? exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Refused connection from {Address}: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, Multiaddr address, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Upgrade of connection with {Address} failed: {Reason} ({Detail})")]
    public static partial void UpgradeFailed(ILogger logger, Multiaddr address, string reason, string detail, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Inbound stream from {Peer} refused: {Reason} ({Detail})")]
    public static partial void StreamRefused(ILogger logger, string peer, string reason, string detail, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Background task {Name} failed")]
    public static partial void BackgroundTaskFailed(ILogger logger, string name, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Handler for {Protocol} from {Peer} failed: {Detail}")]
    public static partial void HandlerFailed(ILogger logger, string protocol, string peer, string detail, Exception exception);
}
