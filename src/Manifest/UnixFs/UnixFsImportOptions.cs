// Profile: https://specs.ipfs.tech/ipips/ipip-0499/ (unixfs-v1-2025)
namespace Overlay.Manifest.UnixFs;

/// <summary>
/// Importer settings. The defaults are the <c>unixfs-v1-2025</c> profile (IPIP-499): CIDv1,
/// sha2-256, raw leaves, fixed 1 MiB chunks, balanced layout with at most 1024 links per node,
/// flat directories up to 256 KiB of encoded node then HAMT with fanout 256, hidden entries
/// skipped, symlinks preserved, no mode or mtime. Change them only to reproduce other tools.
/// </summary>
public sealed record UnixFsImportOptions
{
    /// <summary>IPIP-499 <c>unixfs-v1-2025</c>: "Max chunk size 1MiB".</summary>
    public const int ProfileChunkSize = 1_048_576;

    /// <summary>IPIP-499 <c>unixfs-v1-2025</c>: "DAG width (children per node) 1024".</summary>
    public const int ProfileMaxLinksPerNode = 1024;

    /// <summary>IPIP-499 <c>unixfs-v1-2025</c>: "HAMTDirectory threshold 256KiB (block-bytes)", compared with '>'.</summary>
    public const int ProfileShardThresholdBytes = 262_144;

    /// <summary>IPIP-499 <c>unixfs-v1-2025</c>: "HAMTDirectory fanout 256".</summary>
    public const int ProfileShardFanout = 256;

    public static UnixFsImportOptions Default { get; } = new();

    /// <summary>Bytes per leaf; at most 1 MiB so every leaf fits a Bitswap block.</summary>
    public int ChunkSize { get; init; } = ProfileChunkSize;

    /// <summary>Most links in one file node of the balanced layout.</summary>
    public int MaxLinksPerNode { get; init; } = ProfileMaxLinksPerNode;

    /// <summary>A flat directory whose encoded node would be larger than this becomes a HAMT.</summary>
    public int ShardThresholdBytes { get; init; } = ProfileShardThresholdBytes;

    /// <summary>Import names starting with '.' from the file system (off in the profile).</summary>
    public bool IncludeHidden { get; init; }

    /// <summary>Receives the running count of file bytes read, once per chunk.</summary>
    public IProgress<long>? Progress { get; init; }

    internal void Validate()
    {
        // 1 MiB: larger leaves would not fit a Bitswap block once wrapped; the profile's own size.
        if (ChunkSize is < 1 or > ProfileChunkSize)
        {
            throw new ArgumentOutOfRangeException(nameof(ChunkSize), ChunkSize, "chunk size must be 1..1048576 bytes");
        }
        // 8192 links of ~50 bytes stay far below the 2 MiB block limit.
        if (MaxLinksPerNode is < 2 or > 8192)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLinksPerNode), MaxLinksPerNode, "links per node must be 2..8192");
        }
        if (ShardThresholdBytes is < 1 or > 1_048_576)
        {
            throw new ArgumentOutOfRangeException(nameof(ShardThresholdBytes), ShardThresholdBytes, "shard threshold must be 1..1048576 bytes");
        }
    }
}
