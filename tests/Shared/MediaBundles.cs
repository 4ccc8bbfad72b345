using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;

namespace Overlay.Tests.Shared;

/// <summary>Signed 2 s MPEG-TS media bundles, as an HLS import makes them: the one builder the tests and the bench share.</summary>
internal static class MediaBundles
{
    /// <param name="lifetime">How long after <paramref name="created"/> it expires; null: the class's default lifetime.</param>
    /// <param name="mediaSequence">The HLS media sequence; null: <paramref name="seq"/>.</param>
    public static SignedBundle Sign(
        Ed25519PrivateKey key, long seq, Cid payload, long size, PriorityClass priority, DateTimeOffset created, TimeSpan? lifetime = null, long? mediaSequence = null) =>
        new Bundle
        {
            Stream = key.PeerId,
            Seq = seq,
            Class = priority,
            Created = created,
            Expires = created + (lifetime ?? priority.DefaultLifetime()),
            MediaType = "video/mp2t",
            Payload = payload,
            Size = size,
            Duration = TimeSpan.FromSeconds(2),
            MediaSequence = mediaSequence ?? seq,
        }.Sign(key);
}
