using Overlay.Manifest.Blocks;
using Overlay.Manifest.Streams;
using Overlay.Manifest.UnixFs;

namespace Overlay.Bridge.Tests;

/// <summary>
/// A follower's full check of an imported stream, from the store alone: the head decodes and
/// verifies, every leaf's bundle block verifies (signature, stream), is included in the head
/// (proof from the page tree), and its payload bytes re-import to the payload CID.
/// </summary>
internal static class StreamCheck
{
    public static async Task<IReadOnlyList<(SignedBundle Bundle, byte[] Payload)>> VerifyAsync(IBlockStore store, SignedTreeHead signedHead)
    {
        var head = SignedTreeHead.Decode((await store.GetAsync(signedHead.Cid))!.Value.Span, signedHead.Head.Stream, DateTimeOffset.UtcNow);
        var reader = new StreamManifestReader(store, head);
        await reader.VerifyAllAsync();
        var files = new UnixFsReader(store);
        var result = new List<(SignedBundle, byte[])>();
        for (var seq = 0L; seq < head.Head.Size; seq++)
        {
            var cid = await reader.GetLeafAsync(seq);
            var block = await store.GetAsync(cid) ?? throw new InvalidOperationException($"bundle block {cid} missing");
            Assert.True(cid.Matches(block.Span));
            var bundle = SignedBundle.Decode(block.Span, head.Head.Stream, DateTimeOffset.UtcNow);
            Assert.Equal(seq, bundle.Bundle.Seq);
            head.VerifyInclusion(bundle, await reader.ProveInclusionAsync(seq));
            using var payload = new MemoryStream();
            await using (var stream = await files.OpenReadAsync(bundle.Bundle.Payload))
            {
                await stream.CopyToAsync(payload);
            }
            var bytes = payload.ToArray();
            Assert.Equal(bundle.Bundle.Size, bytes.Length);
            var again = await new UnixFsImporter(new MemoryBlockStore()).ImportFileAsync(new MemoryStream(bytes));
            Assert.Equal(bundle.Bundle.Payload, again.Cid);
            result.Add((bundle, bytes));
        }
        return result;
    }
}
