// Spec: specs/bundle.md §3–§4 (the map, its keys and its dag-cbor encoding).
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;

namespace Overlay.Manifest.Streams;

/// <summary>Bundle ⇄ dag-cbor map. Field rules live in <see cref="Bundle.Problem"/>, used by both directions.</summary>
internal static class BundleCodec
{
    public const string Format = "bundle";

    public const int Version = 1;

    public static readonly string[] Keys =
    [
        "v", "stream", "seq", "class", "created", "expires", "kind", "type", "rend",
        "payload", "size", "dur", "msn", "dseq", "disc", "init", "sig",
    ];

    public static byte[] EncodeUnsigned(Bundle bundle) => DagCbor.Encode(new IpldMap(Fields(bundle)));

    public static byte[] EncodeSigned(Bundle bundle, byte[] signature) =>
        DagCbor.Encode(new IpldMap(Fields(bundle).Append(Entry("sig", signature))));

    /// <summary>Steps 3–4 of bundle.md §7: exact keys, kinds and rules. Returns the bundle and its signature.</summary>
    public static (Bundle Bundle, ReadOnlyMemory<byte> Signature) Decode(IpldNode node)
    {
        var map = StreamFields.ExactMap(node, Format, Keys);
        var version = StreamFields.UInt(map, "v", Format);
        if (version != Version)
        {
            throw new MalformedDataException(Format, $"unsupported version {version}");
        }
        var classText = StreamFields.String(map, "class", Format);
        if (!PriorityClassExtensions.TryParse(classText, out var priority))
        {
            throw new MalformedDataException(Format, $"unknown class '{classText}'");
        }
        var kind = StreamFields.String(map, "kind", Format) switch
        {
            "media" => BundleKind.Media,
            "init" => BundleKind.Init,
            var other => throw new MalformedDataException(Format, $"unknown kind '{other}'"),
        };
        var bundle = new Bundle
        {
            Stream = StreamFields.Stream(map, Format),
            Seq = StreamFields.UInt(map, "seq", Format),
            Class = priority,
            Created = StreamFields.Time(map, "created", Format),
            Expires = StreamFields.Time(map, "expires", Format),
            Kind = kind,
            MediaType = StreamFields.String(map, "type", Format),
            Rendition = StreamFields.String(map, "rend", Format),
            Payload = StreamFields.Link(map, "payload", Format),
            Size = StreamFields.UInt(map, "size", Format),
            Duration = TimeSpan.FromMicroseconds(StreamFields.UInt(map, "dur", Format, (long)StreamLimits.MaxSegmentDuration.TotalMicroseconds)),
            MediaSequence = StreamFields.UInt(map, "msn", Format),
            DiscontinuitySequence = StreamFields.UInt(map, "dseq", Format),
            Discontinuity = StreamFields.Bool(map, "disc", Format),
            InitSeq = StreamFields.NullableUInt(map, "init", Format),
        };
        var signature = StreamFields.Bytes(map, "sig", Format, StreamFields.SignatureLength);
        if (bundle.Problem() is { } problem)
        {
            throw new MalformedDataException(Format, problem);
        }
        return (bundle, signature);
    }

    private static IEnumerable<KeyValuePair<string, IpldNode>> Fields(Bundle b)
    {
        yield return Entry("v", Version);
        yield return Entry("stream", b.Stream.ToArray());
        yield return Entry("seq", b.Seq);
        yield return Entry("class", b.Class.WireName());
        yield return Entry("created", b.Created.ToUnixTimeMilliseconds());
        yield return Entry("expires", b.Expires.ToUnixTimeMilliseconds());
        yield return Entry("kind", b.Kind == BundleKind.Init ? "init" : "media");
        yield return Entry("type", b.MediaType);
        yield return Entry("rend", b.Rendition);
        yield return Entry("payload", b.Payload);
        yield return Entry("size", b.Size);
        yield return Entry("dur", b.Duration.Ticks / TimeSpan.TicksPerMicrosecond);
        yield return Entry("msn", b.MediaSequence);
        yield return Entry("dseq", b.DiscontinuitySequence);
        yield return Entry("disc", b.Discontinuity);
        yield return Entry("init", b.InitSeq is { } init ? init : IpldNull.Instance);
    }

    private static KeyValuePair<string, IpldNode> Entry(string key, IpldNode value) => new(key, value);
}
