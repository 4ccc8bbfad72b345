using Microsoft.Extensions.Logging;

namespace Overlay.Blocks;

/// <summary>Source-generated log messages of the block store, with stable event ids (4200-4299).</summary>
internal static partial class BlockStoreLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning, Message = "Block {Cid} on disk does not match its hash: moved to {QuarantineFile}")]
    public static partial void Quarantined(ILogger logger, string cid, string quarantineFile);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Evicted {Count} blocks ({Bytes} bytes) to stay under the quota of {StorageMax} bytes")]
    public static partial void Evicted(ILogger logger, int count, long bytes, long storageMax);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "A put of {Bytes} bytes was refused: quota of {StorageMax} bytes is full of pinned or in-use blocks")]
    public static partial void QuotaExceeded(ILogger logger, long bytes, long storageMax);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "Block store {Root}: {Count} blocks, {Bytes} bytes, scanned in {Milliseconds} ms ({Stray} unfinished temporary files removed)")]
    public static partial void Scanned(ILogger logger, string root, int count, long bytes, long milliseconds, int stray);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "Cannot follow the links of pinned block {Cid}: {Detail}")]
    public static partial void UnreadableLinks(ILogger logger, string cid, string detail);
}
