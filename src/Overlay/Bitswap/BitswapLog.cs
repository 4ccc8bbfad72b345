using Microsoft.Extensions.Logging;

namespace Overlay.Bitswap;

/// <summary>Source-generated log messages of bitswap, with stable event ids (4000-4099).</summary>
internal static partial class BitswapLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Debug, Message = "Bitswap message from {Peer} refused ({Reason}): {Detail}")]
    public static partial void MessageRefused(ILogger logger, string peer, string reason, string detail);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Block from {Peer} rejected ({Reason}): {Cid}")]
    public static partial void BlockRejected(ILogger logger, string peer, string reason, string cid);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Cutting off {Peer} after {Strikes} bitswap violations (last: {Reason})")]
    public static partial void PeerCutOff(ILogger logger, string peer, int strikes, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Sending bitswap to {Peer} failed: {Detail}")]
    public static partial void SendFailed(ILogger logger, string peer, string detail);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "{Peer} does not speak bitswap")]
    public static partial void NotBitswap(ILogger logger, string peer);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug, Message = "Serving {Peer} failed: {Detail}")]
    public static partial void ServeFailed(ILogger logger, string peer, string detail);
}
