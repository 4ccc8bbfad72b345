using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;
using Overlay.Tests.Shared;

namespace Overlay.Tests.Streams;

/// <summary>A stream of generated segments signed into a store: what an HLS import would leave behind.</summary>
internal sealed record TestStream(SignedTreeHead Head, IReadOnlyList<Cid> Payloads, IReadOnlyList<byte[]> Segments)
{
    /// <summary>The signed bundles, in seq order.</summary>
    public IReadOnlyList<SignedBundle> Bundles { get; init; } = [];

    /// <param name="classes">Per bundle, its class and lifetime; null: vod with the default lifetime.</param>
    /// <param name="segmentBytes">Size of the first segment (each next one is 1000 bytes larger).</param>
    public static async Task<TestStream> BuildAsync(
        Ed25519PrivateKey key, IBlockStore store, int count, ulong seed, bool seal = true, DateTimeOffset? time = null, string title = "test",
        IReadOnlyList<(PriorityClass Class, TimeSpan Lifetime)>? classes = null, int segmentBytes = 300_000)
    {
        var now = time ?? DateTimeOffset.UtcNow;
        var builder = new StreamManifestBuilder(key, store) { Metadata = new StreamMetadata { Title = title } };
        var importer = new UnixFsImporter(store);
        var payloads = new List<Cid>();
        var segments = new List<byte[]>();
        var bundles = new List<SignedBundle>();
        for (var i = 0; i < count; i++)
        {
            var bytes = DeterministicBytes.Generate(seed + (ulong)i, segmentBytes + i * 1000);
            var payload = (await importer.ImportFileAsync(new MemoryStream(bytes))).Cid;
            var bundle = MediaBundles.Sign(key, builder.Size, payload, bytes.Length, classes?[i].Class ?? PriorityClass.Vod, now, classes?[i].Lifetime, mediaSequence: i);
            await builder.AppendAsync(bundle);
            bundles.Add(bundle);
            payloads.Add(payload);
            segments.Add(bytes);
        }
        var head = await builder.SignHeadAsync(now, seal: seal);
        return new TestStream(head, payloads, segments) { Bundles = bundles };
    }
}
