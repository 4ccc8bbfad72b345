// Spec: specs/manifest.md §2 (the head map, rendition maps, dag-cbor encoding).
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;

namespace Overlay.Manifest.Streams;

/// <summary>TreeHead ⇄ dag-cbor map. Field rules live in <see cref="TreeHead.Problem"/>, used by both directions.</summary>
internal static class TreeHeadCodec
{
    public const string Format = "tree-head";

    public const int Version = 1;

    public static readonly string[] Keys =
        ["v", "stream", "size", "root", "leaves", "time", "expires", "sealed", "title", "poster", "rends", "sig"];

    public static readonly string[] RenditionKeys = ["id", "bw", "codecs", "w", "h"];

    public static byte[] EncodeUnsigned(TreeHead head) => DagCbor.Encode(new IpldMap(Fields(head)));

    public static byte[] EncodeSigned(TreeHead head, byte[] signature) =>
        DagCbor.Encode(new IpldMap(Fields(head).Append(Entry("sig", signature))));

    /// <summary>Steps 3–4 of manifest.md §2.3. Returns the head and its signature.</summary>
    public static (TreeHead Head, ReadOnlyMemory<byte> Signature) Decode(IpldNode node)
    {
        var map = StreamFields.ExactMap(node, Format, Keys);
        var version = StreamFields.UInt(map, "v", Format);
        if (version != Version)
        {
            throw new MalformedDataException(Format, $"unsupported version {version}");
        }
        var rends = StreamFields.List(map, "rends", Format);
        if (rends.Count > StreamLimits.MaxRenditions)
        {
            throw new LimitExceededException(Format, "renditions", StreamLimits.MaxRenditions, rends.Count);
        }
        var head = new TreeHead
        {
            Stream = StreamFields.Stream(map, Format),
            Size = StreamFields.UInt(map, "size", Format),
            Root = StreamFields.Bytes(map, "root", Format, MerkleTree.HashLength),
            Leaves = StreamFields.Link(map, "leaves", Format),
            Time = StreamFields.Time(map, "time", Format),
            Expires = StreamFields.Time(map, "expires", Format),
            Sealed = StreamFields.Bool(map, "sealed", Format),
            Metadata = new StreamMetadata
            {
                Title = StreamFields.String(map, "title", Format),
                Poster = StreamFields.NullableLink(map, "poster", Format),
                Renditions = rends.Select(DecodeRendition).ToArray(),
            },
        };
        var signature = StreamFields.Bytes(map, "sig", Format, StreamFields.SignatureLength);
        if (head.Problem() is { } problem)
        {
            throw new MalformedDataException(Format, problem);
        }
        return (head, signature);
    }

    private static Rendition DecodeRendition(IpldNode node)
    {
        var map = StreamFields.ExactMap(node, Format, RenditionKeys);
        return new Rendition(
            StreamFields.String(map, "id", Format),
            StreamFields.UInt(map, "bw", Format),
            StreamFields.String(map, "codecs", Format),
            (int)StreamFields.UInt(map, "w", Format, ushort.MaxValue),
            (int)StreamFields.UInt(map, "h", Format, ushort.MaxValue));
    }

    private static IEnumerable<KeyValuePair<string, IpldNode>> Fields(TreeHead h)
    {
        yield return Entry("v", Version);
        yield return Entry("stream", h.Stream.ToArray());
        yield return Entry("size", h.Size);
        yield return Entry("root", h.Root.ToArray());
        yield return Entry("leaves", h.Leaves);
        yield return Entry("time", h.Time.ToUnixTimeMilliseconds());
        yield return Entry("expires", h.Expires.ToUnixTimeMilliseconds());
        yield return Entry("sealed", h.Sealed);
        yield return Entry("title", h.Metadata.Title);
        yield return Entry("poster", h.Metadata.Poster is { } poster ? poster : IpldNull.Instance);
        yield return Entry("rends", new IpldList(h.Metadata.Renditions.Select(r => (IpldNode)IpldMap.Of(
            ("id", r.Id), ("bw", r.Bandwidth), ("codecs", r.Codecs), ("w", r.Width), ("h", r.Height)))));
    }

    private static KeyValuePair<string, IpldNode> Entry(string key, IpldNode value) => new(key, value);
}
