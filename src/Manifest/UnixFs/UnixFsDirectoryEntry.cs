using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.UnixFs;

/// <summary>A named child of a directory.</summary>
/// <param name="Name">The entry name (one path component).</param>
/// <param name="Cid">The child's root CID.</param>
/// <param name="DagSize">The link's Tsize: the child DAG's total bytes (a hint when read; 0 if absent).</param>
public sealed record UnixFsDirectoryEntry(string Name, Cid Cid, ulong DagSize);
