using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;

namespace Overlay.Bridge.Import;

/// <summary>One bundle an import signed: where its bytes came from and what names them now.</summary>
/// <param name="Seq">Leaf index in the stream's Merkle tree.</param>
/// <param name="Kind">Media segment or init section.</param>
/// <param name="Rendition">Rendition id, empty for a single-rendition stream.</param>
/// <param name="Bundle">CID of the signed bundle block.</param>
/// <param name="Payload">UnixFS CID of the segment bytes.</param>
/// <param name="Size">Payload bytes.</param>
/// <param name="Source">The file the bytes were read from.</param>
/// <param name="Range">The byte range of <paramref name="Source"/>, or null for the whole file.</param>
public sealed record ImportedBundle(long Seq, BundleKind Kind, string Rendition, Cid Bundle, Cid Payload, long Size, Uri Source, Hls.HlsByteRange? Range);
