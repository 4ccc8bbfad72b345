// Spec: specs/sync.md §2.1 (summary).
using Overlay.Manifest.Streams;

namespace Overlay.Streams.Sync;

/// <summary>One stream in a summary: its newest verified head block, and the leaves held under it.</summary>
public sealed record SyncSummaryEntry(ReadOnlyMemory<byte> Head, IReadOnlyList<LeafRange> Held);
