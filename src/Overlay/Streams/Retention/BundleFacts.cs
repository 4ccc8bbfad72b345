using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;

namespace Overlay.Streams.Retention;

/// <summary>What sync, the reaper and eviction need to know of a held bundle, read once from its block.</summary>
internal sealed record BundleFacts(Cid Bundle, long Seq, PriorityClass Class, DateTimeOffset Created, DateTimeOffset Expires, Cid Payload, long Size)
{
    public bool IsExpired(DateTimeOffset now) => now >= Expires;
}
