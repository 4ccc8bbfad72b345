using System.Text;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;

namespace Overlay.Manifest.Tests.Streams;

/// <summary>
/// The inputs of the test vectors in specs/bundle.md §9 and specs/manifest.md §8, built exactly
/// as the specs describe them, so the vector tests can assert the spec's hex.
/// </summary>
internal static class StreamVectors
{
    public const long BaseTime = 1_700_000_000_000;

    /// <summary>Seed 01 02 … 20.</summary>
    public static Ed25519PrivateKey Key { get; } = Ed25519PrivateKey.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public static PeerId Stream => Key.PeerId;

    public static DateTimeOffset At(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    public static byte[] PayloadBytes(int seq) => Encoding.ASCII.GetBytes($"overlay test vector segment {seq}");

    public static Cid Poster => Cid.Compute(Multicodec.Raw, Encoding.ASCII.GetBytes("overlay test vector poster"));

    /// <summary>Bundle <paramref name="seq"/> of the 7-bundle vector stream (seq 0 is the init section).</summary>
    public static Bundle Bundle(int seq)
    {
        var created = At(BaseTime + 4000L * seq);
        var bundle = new Bundle
        {
            Stream = Stream,
            Seq = seq,
            Class = PriorityClass.Vod,
            Created = created,
            Expires = created + PriorityClass.Vod.DefaultLifetime(),
            MediaType = "video/mp4",
            Rendition = "720p",
            Payload = Cid.Compute(Multicodec.Raw, PayloadBytes(seq)),
            Size = PayloadBytes(seq).Length,
        };
        return seq == 0
            ? bundle with { Kind = BundleKind.Init }
            : bundle with
            {
                Duration = TimeSpan.FromSeconds(4),
                MediaSequence = seq - 1,
                Discontinuity = seq == 4,
                DiscontinuitySequence = seq >= 4 ? 1 : 0,
                InitSeq = 0,
            };
    }

    public static SignedBundle[] Bundles(int count = 7) => Enumerable.Range(0, count).Select(i => Bundle(i).Sign(Key)).ToArray();

    public static StreamMetadata Metadata => new()
    {
        Title = "Overlay test vector",
        Poster = Poster,
        Renditions = [new Rendition("720p", 2_500_000, "avc1.64001f,mp4a.40.2", 1280, 720)],
    };

    /// <summary>A builder holding the first <paramref name="count"/> vector bundles.</summary>
    public static async Task<StreamManifestBuilder> BuilderAsync(IBlockStore store, int count = 7)
    {
        var builder = new StreamManifestBuilder(Key, store) { Metadata = Metadata };
        foreach (var bundle in Bundles(count))
        {
            await builder.AppendAsync(bundle);
        }
        return builder;
    }

    /// <summary>The sealed head of size 7 in manifest.md §8.</summary>
    public static async Task<SignedTreeHead> SealedHeadAsync(IBlockStore store)
    {
        var builder = await BuilderAsync(store);
        return await builder.SignHeadAsync(At(BaseTime + 100_000), PriorityClass.Vod.DefaultLifetime(), seal: true);
    }

    /// <summary>Leaf i of the synthetic layout vectors: CIDv1 dag-cbor of the dag-cbor integer i.</summary>
    public static Cid SyntheticLeaf(long i) => Overlay.Manifest.Codecs.DagCbor.DagCbor.ComputeCid(new Overlay.Manifest.Ipld.IpldInteger(i));
}
