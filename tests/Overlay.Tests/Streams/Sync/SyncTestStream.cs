using Overlay.Manifest.Blocks;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;
using Overlay.Tests.Shared;

namespace Overlay.Tests.Streams.Sync;

/// <summary>A sealed stream whose bundles have the given classes and lifetimes, signed into a store at <c>time</c>.</summary>
internal sealed record SyncTestStream(SignedTreeHead Head, IReadOnlyList<SignedBundle> Bundles, IReadOnlyList<Cid> Payloads, IReadOnlyList<byte[]> Segments)
{
    public static async Task<SyncTestStream> BuildAsync(
        Ed25519PrivateKey key, IBlockStore store, DateTimeOffset time, IReadOnlyList<(PriorityClass Class, TimeSpan Lifetime)> bundles, ulong seed, int segmentBytes = 200_000)
    {
        var builder = new StreamManifestBuilder(key, store) { Metadata = new StreamMetadata { Title = "sync" } };
        var importer = new UnixFsImporter(store);
        var signed = new List<SignedBundle>();
        var payloads = new List<Cid>();
        var segments = new List<byte[]>();
        for (var i = 0; i < bundles.Count; i++)
        {
            var bytes = DeterministicBytes.Generate(seed + (ulong)i, segmentBytes + i * 1000);
            var payload = (await importer.ImportFileAsync(new MemoryStream(bytes))).Cid;
            var bundle = new Bundle
            {
                Stream = key.PeerId,
                Seq = builder.Size,
                Class = bundles[i].Class,
                Created = time,
                Expires = time + bundles[i].Lifetime,
                MediaType = "video/mp2t",
                Payload = payload,
                Size = bytes.Length,
                Duration = TimeSpan.FromSeconds(2),
                MediaSequence = i,
            }.Sign(key);
            await builder.AppendAsync(bundle);
            signed.Add(bundle);
            payloads.Add(payload);
            segments.Add(bytes);
        }
        var head = await builder.SignHeadAsync(time, seal: true);
        return new SyncTestStream(head, signed, payloads, segments);
    }

    public static (PriorityClass, TimeSpan)[] Vod(int count) =>
        Enumerable.Repeat((PriorityClass.Vod, PriorityClass.Vod.DefaultLifetime()), count).ToArray();
}
