// Spec: https://ipld.io/specs/codecs/dag-json/spec/
using System.Buffers;
using System.Text;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Codecs.DagJson;

/// <summary>
/// DAG-JSON (multicodec 0x0129) over the IPLD data model. Encoding is canonical: keys sorted
/// bytewise by UTF-8, no whitespace, floats always with a point or exponent, integers without,
/// links as <c>{"/":"cid"}</c>, bytes as <c>{"/":{"bytes":"base64"}}</c>. Decoding is strict on
/// the data model and the reserved "/" namespace; bad input throws
/// <see cref="MalformedDataException"/> (or <see cref="LimitExceededException"/>) only.
/// </summary>
public static class DagJson
{
    private const string Format = "dag-json";

    public static string Encode(IpldNode node) => Encoding.UTF8.GetString(EncodeUtf8(node));

    public static byte[] EncodeUtf8(IpldNode node) => EncodeUtf8(node, DagJsonLimits.Default);

    public static byte[] EncodeUtf8(IpldNode node, DagJsonLimits limits)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Encode(node, buffer, limits);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Appends the encoding to <paramref name="output"/>; on an exception part of it may have been written.</summary>
    public static void Encode(IpldNode node, IBufferWriter<byte> output) => Encode(node, output, DagJsonLimits.Default);

    public static void Encode(IpldNode node, IBufferWriter<byte> output, DagJsonLimits limits)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(limits);
        Write(new DagJsonWriter(output), node, 0, limits.MaxDepth);
    }

    /// <summary>CIDv1, dag-json codec, sha2-256 of the canonical encoding.</summary>
    public static Cid ComputeCid(IpldNode node) => Cid.Compute(Multicodec.DagJson, EncodeUtf8(node));

    public static IpldNode Decode(string json) => Decode(json, DagJsonLimits.Default);

    public static IpldNode Decode(string json, DagJsonLimits limits)
    {
        ArgumentNullException.ThrowIfNull(json);
        var length = StrictUtf8.GetByteCount(json, Format);
        var utf8 = new byte[length];
        StrictUtf8.GetBytes(json, utf8);
        return Decode(utf8, limits);
    }

    /// <summary>Decodes one JSON value that must span all of <paramref name="utf8"/> (whitespace aside).</summary>
    public static IpldNode Decode(ReadOnlySpan<byte> utf8) => Decode(utf8, DagJsonLimits.Default);

    public static IpldNode Decode(ReadOnlySpan<byte> utf8, DagJsonLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return DagJsonReader.Read(utf8, limits);
    }

    private static void Write(DagJsonWriter writer, IpldNode node, int depth, int maxDepth)
    {
        switch (node)
        {
            case IpldInteger integer:
                writer.WriteInteger(integer.Value);
                break;
            case IpldFloat number:
                writer.WriteFloat(number.Value);
                break;
            case IpldString text:
                writer.WriteString(text.Value);
                break;
            case IpldBytes bytes:
                writer.WriteBytes(bytes.Value.Span);
                break;
            case IpldBoolean boolean:
                writer.WriteRaw(boolean.Value ? "true"u8 : "false"u8);
                break;
            case IpldNull:
                writer.WriteRaw("null"u8);
                break;
            case IpldLink link:
                writer.WriteLink(link.Cid);
                break;
            case IpldList list:
                CheckDepth(depth, maxDepth);
                writer.WriteByte((byte)'[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        writer.WriteByte((byte)',');
                    }
                    Write(writer, list.Items[i], depth + 1, maxDepth);
                }
                writer.WriteByte((byte)']');
                break;
            case IpldMap map:
                CheckDepth(depth, maxDepth);
                WriteMap(writer, map, depth, maxDepth);
                break;
            default:
                throw new ArgumentException($"unknown IPLD node type {node.GetType()}", nameof(node));
        }
    }

    private static void WriteMap(DagJsonWriter writer, IpldMap map, int depth, int maxDepth)
    {
        CheckReservedNamespace(map);
        var entries = map.Entries.ToArray();
        Array.Sort(entries, static (a, b) => DagCborKeyOrder.CompareCodePoints(a.Key, b.Key));
        writer.WriteByte((byte)'{');
        for (var i = 0; i < entries.Length; i++)
        {
            if (i > 0)
            {
                writer.WriteByte((byte)',');
            }
            writer.WriteString(entries[i].Key);
            writer.WriteByte((byte)':');
            Write(writer, entries[i].Value, depth + 1, maxDepth);
        }
        writer.WriteByte((byte)'}');
    }

    /// <summary>
    /// Maps that would read back as a link or bytes, or that the spec forbids outright, have no
    /// dag-json form: the first key "/" with a string, or with a map whose first key "bytes"
    /// holds a string.
    /// </summary>
    private static void CheckReservedNamespace(IpldMap map)
    {
        if (!FirstKeyIs(map, "/"))
        {
            return;
        }
        var reserved = map["/"];
        if (reserved is IpldString
            || (reserved is IpldMap inner && FirstKeyIs(inner, "bytes") && inner["bytes"] is IpldString))
        {
            throw new MalformedDataException(Format, "a map whose first key is \"/\" collides with the link/bytes forms and has no dag-json encoding");
        }
    }

    /// <summary>True when <paramref name="key"/> is present and sorts first, i.e. is written first.</summary>
    private static bool FirstKeyIs(IpldMap map, string key)
    {
        if (!map.ContainsKey(key))
        {
            return false;
        }
        foreach (var entry in map.Entries)
        {
            if (DagCborKeyOrder.CompareCodePoints(entry.Key, key) < 0)
            {
                return false;
            }
        }
        return true;
    }

    private static void CheckDepth(int depth, int maxDepth)
    {
        if (depth >= maxDepth)
        {
            throw new LimitExceededException(Format, "nesting depth", maxDepth, depth + 1);
        }
    }
}
