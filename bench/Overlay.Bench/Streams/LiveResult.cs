namespace Overlay.Bench.Streams;

/// <summary>
/// One live run of either system: publish-to-available latencies (ms, sorted), bytes on the wire
/// per payload byte delivered, the bitswap blocks the followers received twice and in all, and
/// (js only) the deliveries that never came and how often a follower had to ask again.
/// </summary>
internal sealed record LiveResult(List<double> Latencies, double WireRatio, long DuplicateBlocks, long BlocksReceived, int Lost = 0, long Refetches = 0);
