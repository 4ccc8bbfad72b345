using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;

namespace Overlay.Cli.Tests.Gateway;

/// <summary>Bundles for the gateway's unit tests: one key, 4 s segments, payload CIDs over made-up bytes.</summary>
internal static class TestBundles
{
    public static Ed25519PrivateKey Key { get; } = Ed25519PrivateKey.FromSeed(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    public static string Address => Key.PeerId.ToBase36Name();

    public static Bundle Media(long seq, long msn, string type = "video/mp2t", string rendition = "", double seconds = 4, long? init = null, bool disc = false, long dseq = 0, DateTimeOffset? created = null)
    {
        var at = created ?? DateTimeOffset.UtcNow;
        return new Bundle
        {
            Stream = Key.PeerId,
            Seq = seq,
            Class = PriorityClass.Vod,
            Created = at,
            Expires = at + PriorityClass.Vod.DefaultLifetime(),
            MediaType = type,
            Rendition = rendition,
            Payload = Cid.Compute(Multicodec.Raw, BitConverter.GetBytes(seq)),
            Size = 8,
            Duration = TimeSpan.FromSeconds(seconds),
            MediaSequence = msn,
            InitSeq = init,
            Discontinuity = disc,
            DiscontinuitySequence = dseq,
        };
    }

    public static Bundle Init(long seq, string rendition = "") => Media(seq, 0, "video/mp4", rendition) with
    {
        Kind = BundleKind.Init,
        Duration = TimeSpan.Zero,
    };
}
