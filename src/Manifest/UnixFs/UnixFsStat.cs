using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.UnixFs;

/// <summary>What a UnixFS node is, read from its root block only.</summary>
/// <param name="Cid">The node.</param>
/// <param name="Type">File for raw blocks and File/Raw nodes, Directory for flat and HAMT directories, or Symlink.</param>
/// <param name="Size">File bytes for a file; 0 otherwise.</param>
/// <param name="SymlinkTarget">The target of a symlink; null otherwise.</param>
/// <param name="Mode">UnixFS 1.5 mode bits, when recorded.</param>
/// <param name="ModificationTime">UnixFS 1.5 mtime, when recorded.</param>
public sealed record UnixFsStat(Cid Cid, UnixFsType Type, ulong Size, string? SymlinkTarget = null, uint? Mode = null, UnixFsTime? ModificationTime = null);
