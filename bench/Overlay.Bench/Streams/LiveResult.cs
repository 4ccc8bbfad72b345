namespace Overlay.Bench.Streams;

/// <summary>
/// One live run of either system: publish-to-available latencies (ms, sorted), bytes on the wire
/// per payload byte delivered, and the bitswap blocks the followers received twice and in all.
/// </summary>
internal sealed record LiveResult(List<double> Latencies, double WireRatio, long DuplicateBlocks, long BlocksReceived);
