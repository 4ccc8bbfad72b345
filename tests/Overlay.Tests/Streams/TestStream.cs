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
    public static async Task<TestStream> BuildAsync(
        Ed25519PrivateKey key, IBlockStore store, int count, ulong seed, bool seal = true, DateTimeOffset? time = null, string title = "test")
    {
        var now = time ?? DateTimeOffset.UtcNow;
        var builder = new StreamManifestBuilder(key, store) { Metadata = new StreamMetadata { Title = title } };
        var importer = new UnixFsImporter(store);
        var payloads = new List<Cid>();
        var segments = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var bytes = DeterministicBytes.Generate(seed + (ulong)i, 300_000 + i * 1000);
            var payload = (await importer.ImportFileAsync(new MemoryStream(bytes))).Cid;
            var bundle = SignBundle(key, builder.Size, payload, bytes.Length, PriorityClass.Vod, now);
            await builder.AppendAsync(bundle);
            payloads.Add(payload);
            segments.Add(bytes);
        }
        var head = await builder.SignHeadAsync(now, seal: seal);
        return new TestStream(head, payloads, segments);
    }

    /// <summary>A 2 s MPEG-TS media bundle <paramref name="seq"/> for <paramref name="payload"/>, created at <paramref name="now"/> with the class's default lifetime.</summary>
    public static SignedBundle SignBundle(Ed25519PrivateKey key, long seq, Cid payload, long size, PriorityClass priority, DateTimeOffset now) =>
        new Bundle
        {
            Stream = key.PeerId,
            Seq = seq,
            Class = priority,
            Created = now,
            Expires = now + priority.DefaultLifetime(),
            MediaType = "video/mp2t",
            Payload = payload,
            Size = size,
            Duration = TimeSpan.FromSeconds(2),
            MediaSequence = seq,
        }.Sign(key);
}
