// Spec: specs/sync.md §2.1 (summary).
namespace Overlay.Streams.Sync;

/// <summary>
/// What the opener of a sync stream holds, sent first on the stream, and whether it takes
/// streams it does not list (<paramref name="Carry"/>: false makes the answerer push only listed ones).
/// </summary>
public sealed record SyncSummary(IReadOnlyList<SyncSummaryEntry> Streams, bool Carry = true);
