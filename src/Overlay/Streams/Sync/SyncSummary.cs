// Spec: specs/sync.md §2.1 (summary).
namespace Overlay.Streams.Sync;

/// <summary>What the opener of a sync stream holds, sent first on the stream.</summary>
public sealed record SyncSummary(IReadOnlyList<SyncSummaryEntry> Streams);
