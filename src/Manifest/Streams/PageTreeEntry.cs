using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Streams;

/// <summary>An index-node entry (specs/manifest.md §4): the child's CID and MTH of the leaves it covers.</summary>
internal readonly record struct PageTreeEntry(Cid Link, byte[] Hash);
