// Spec: specs/bundle.md §1–§2 (field kinds shared by bundles, heads and page-tree nodes).
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Streams;

/// <summary>
/// Strict readers for the fields of our signed formats. Each names the format and the key in
/// its error so a rejection says what was wrong; all of them throw only
/// <see cref="MalformedDataException"/>.
/// </summary>
internal static class StreamFields
{
    /// <summary>The 38-byte peer-ID multihash of an Ed25519 key: 00 24 08 01 12 20 || key.</summary>
    public const int StreamIdLength = 38;

    public const int SignatureLength = 64;

    public static IpldMap ExactMap(IpldNode node, string format, IReadOnlyCollection<string> keys)
    {
        if (node is not IpldMap map)
        {
            throw new MalformedDataException(format, $"expected a map, found {node.Kind}");
        }
        foreach (var (key, _) in map.Entries)
        {
            if (!keys.Contains(key))
            {
                throw new MalformedDataException(format, $"unknown key '{key}'");
            }
        }
        foreach (var key in keys)
        {
            if (!map.ContainsKey(key))
            {
                throw new MalformedDataException(format, $"missing key '{key}'");
            }
        }
        return map;
    }

    public static long UInt(IpldMap map, string key, string format, long max = StreamLimits.MaxSafeInteger)
    {
        var value = Expect<IpldInteger>(map, key, format, IpldKind.Integer).Value;
        if (value < 0 || value > max)
        {
            throw new MalformedDataException(format, $"'{key}' = {value} is outside 0..{max}");
        }
        return (long)value;
    }

    public static long? NullableUInt(IpldMap map, string key, string format) =>
        map[key] is IpldNull ? null : UInt(map, key, format);

    public static DateTimeOffset Time(IpldMap map, string key, string format) =>
        DateTimeOffset.FromUnixTimeMilliseconds(UInt(map, key, format, StreamLimits.MaxUnixMilliseconds));

    public static bool Bool(IpldMap map, string key, string format) => Expect<IpldBoolean>(map, key, format, IpldKind.Boolean).Value;

    public static string String(IpldMap map, string key, string format) => Expect<IpldString>(map, key, format, IpldKind.String).Value;

    public static ReadOnlyMemory<byte> Bytes(IpldMap map, string key, string format, int length)
    {
        var value = Expect<IpldBytes>(map, key, format, IpldKind.Bytes).Value;
        if (value.Length != length)
        {
            throw new MalformedDataException(format, $"'{key}' is {value.Length} bytes, expected {length}");
        }
        return value;
    }

    public static Cid Link(IpldMap map, string key, string format) => Expect<IpldLink>(map, key, format, IpldKind.Link).Cid;

    public static Cid? NullableLink(IpldMap map, string key, string format) =>
        map[key] is IpldNull ? null : Link(map, key, format);

    public static IReadOnlyList<IpldNode> List(IpldMap map, string key, string format) => Expect<IpldList>(map, key, format, IpldKind.List).Items;

    /// <summary>The <c>stream</c> field: an Ed25519 peer ID with its key inline (bundle.md §2).</summary>
    public static PeerId Stream(IpldMap map, string format)
    {
        var bytes = Bytes(map, "stream", format, StreamIdLength);
        PeerId id;
        try
        {
            id = PeerId.Decode(bytes.Span);
        }
        catch (MalformedDataException e)
        {
            throw new MalformedDataException(format, "'stream' is not a peer ID", e);
        }
        return StreamKeyOf(id) is null
            ? throw new MalformedDataException(format, "'stream' is not an inline Ed25519 key")
            : id;
    }

    /// <summary>The Ed25519 key inside a stream's peer ID, or null when it holds none.</summary>
    public static Ed25519PublicKey? StreamKeyOf(PeerId stream) =>
        stream.Bytes.Length == StreamIdLength && stream.TryExtractPublicKey(out var key) ? key as Ed25519PublicKey : null;

    /// <summary>bundle.md §1: CIDv1, raw or dag-pb, sha2-256 with a 32-byte digest.</summary>
    public static bool IsContentLink(Cid cid) =>
        cid.Version == 1 && (cid.Codec == Multicodec.Raw || cid.Codec == Multicodec.DagPb) && IsSha256(cid);

    /// <summary>manifest.md §4: bundle CIDs and page-tree links are CIDv1 dag-cbor sha2-256.</summary>
    public static bool IsDagCborLink(Cid cid) => cid.Version == 1 && cid.Codec == Multicodec.DagCbor && IsSha256(cid);

    private static bool IsSha256(Cid cid) => cid.Hash.Code == Multicodec.Sha2_256 && cid.Hash.DigestLength == 32;

    public static bool IsWholeMilliseconds(DateTimeOffset time) => time.UtcTicks % TimeSpan.TicksPerMillisecond == 0;

    public static DateTimeOffset TruncateToMilliseconds(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    public static bool InTimeRange(DateTimeOffset time) => time.ToUnixTimeMilliseconds() is >= 0 and <= StreamLimits.MaxUnixMilliseconds;

    /// <summary>Rendition ids: 0..32 bytes (1..32 in a head) of [A-Za-z0-9._-].</summary>
    public static bool IsRenditionId(string id, bool allowEmpty) =>
        (allowEmpty || id.Length > 0) && id.Length <= StreamLimits.MaxRenditionIdBytes && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static T Expect<T>(IpldMap map, string key, string format, IpldKind kind) where T : IpldNode =>
        map[key] as T ?? throw new MalformedDataException(format, $"'{key}' must be {kind}, found {map[key].Kind}");
}
