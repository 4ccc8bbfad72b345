using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.UnixFs;

/// <summary>What an import produced.</summary>
/// <param name="Cid">The root: a raw CID for a one-chunk file, dag-pb otherwise.</param>
/// <param name="ContentSize">File bytes (0 for directories and symlinks).</param>
/// <param name="DagSize">Every block's bytes summed: the Tsize a parent link records.</param>
public sealed record UnixFsImportResult(Cid Cid, ulong ContentSize, ulong DagSize);
