// Spec: https://ipld.io/specs/codecs/dag-cbor/spec/
using System.Buffers;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Codecs.DagCbor;

/// <summary>
/// Strict DAG-CBOR (multicodec 0x71) over the IPLD data model. Encoding produces the one
/// canonical form; decoding accepts only that form, so decode-then-encode reproduces the input
/// bytes and therefore its CID. Bad input throws <see cref="MalformedDataException"/> (or its
/// subtype <see cref="LimitExceededException"/>) and nothing else.
/// </summary>
public static class DagCbor
{
    private const string Format = "dag-cbor";

    public static byte[] Encode(IpldNode node) => Encode(node, DagCborLimits.Default);

    /// <summary>Encodes with <paramref name="limits"/>.MaxDepth, so what we write we can read back.</summary>
    public static byte[] Encode(IpldNode node, DagCborLimits limits)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Encode(node, buffer, limits);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Appends the encoding to <paramref name="output"/>; on an exception part of it may have been written.</summary>
    public static void Encode(IpldNode node, IBufferWriter<byte> output) => Encode(node, output, DagCborLimits.Default);

    public static void Encode(IpldNode node, IBufferWriter<byte> output, DagCborLimits limits)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(limits);
        Write(new DagCborWriter(output), node, 0, limits.MaxDepth);
    }

    /// <summary>CIDv1, dag-cbor codec, sha2-256 of the canonical encoding.</summary>
    public static Cid ComputeCid(IpldNode node) => Cid.Compute(Multicodec.DagCbor, Encode(node));

    /// <summary>Decodes one item that must span all of <paramref name="data"/>.</summary>
    public static IpldNode Decode(ReadOnlySpan<byte> data) => Decode(data, DagCborLimits.Default);

    public static IpldNode Decode(ReadOnlySpan<byte> data, DagCborLimits limits)
    {
        var node = DecodeFirst(data, limits, out var consumed);
        if (consumed != data.Length)
        {
            throw new MalformedDataException(Format, $"{data.Length - consumed} bytes after the top-level item");
        }
        return node;
    }

    /// <summary>Decodes the item at the start of <paramref name="data"/>; the rest is the caller's.</summary>
    public static IpldNode DecodeFirst(ReadOnlySpan<byte> data, out int consumed) =>
        DecodeFirst(data, DagCborLimits.Default, out consumed);

    public static IpldNode DecodeFirst(ReadOnlySpan<byte> data, DagCborLimits limits, out int consumed)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var reader = new DagCborReader(data, limits);
        var node = Read(ref reader);
        consumed = reader.BytesConsumed;
        return node;
    }

    private static IpldNode Read(ref DagCborReader reader)
    {
        switch (reader.PeekState())
        {
            case DagCborReaderState.UnsignedInteger:
            case DagCborReaderState.NegativeInteger:
                return new IpldInteger(reader.ReadInteger());
            case DagCborReaderState.Double:
                return new IpldFloat(reader.ReadDouble());
            case DagCborReaderState.TextString:
                return new IpldString(reader.ReadTextString());
            case DagCborReaderState.ByteString:
                return new IpldBytes(reader.ReadByteString().ToArray());
            case DagCborReaderState.Boolean:
                return reader.ReadBoolean() ? IpldBoolean.True : IpldBoolean.False;
            case DagCborReaderState.Null:
                reader.ReadNull();
                return IpldNull.Instance;
            case DagCborReaderState.Link:
                return new IpldLink(reader.ReadLink());
            case DagCborReaderState.StartArray:
                {
                    var items = new IpldNode[reader.ReadStartArray()];
                    for (var i = 0; i < items.Length; i++)
                    {
                        items[i] = Read(ref reader);
                    }
                    reader.ReadEndArray();
                    return new IpldList(items);
                }
            case DagCborReaderState.StartMap:
                {
                    var entries = new KeyValuePair<string, IpldNode>[reader.ReadStartMap()];
                    for (var i = 0; i < entries.Length; i++)
                    {
                        var key = reader.ReadTextString();
                        entries[i] = new(key, Read(ref reader));
                    }
                    reader.ReadEndMap();
                    return new IpldMap(entries);
                }
            default:
                // PeekState only reports End*/Finished after a collection or the top-level item is done.
                throw new InvalidOperationException("dag-cbor reader is not at the start of an item");
        }
    }

    private static void Write(DagCborWriter writer, IpldNode node, int depth, int maxDepth)
    {
        switch (node)
        {
            case IpldInteger integer:
                writer.WriteInteger(integer.Value);
                break;
            case IpldFloat number:
                writer.WriteDouble(number.Value);
                break;
            case IpldString text:
                writer.WriteTextString(text.Value, StrictUtf8.GetByteCount(text.Value, Format));
                break;
            case IpldBytes bytes:
                writer.WriteByteString(bytes.Value.Span);
                break;
            case IpldBoolean boolean:
                writer.WriteBoolean(boolean.Value);
                break;
            case IpldNull:
                writer.WriteNull();
                break;
            case IpldLink link:
                writer.WriteLink(link.Cid);
                break;
            case IpldList list:
                CheckDepth(depth, maxDepth);
                writer.WriteStartArray(list.Count);
                foreach (var item in list.Items)
                {
                    Write(writer, item, depth + 1, maxDepth);
                }
                break;
            case IpldMap map:
                CheckDepth(depth, maxDepth);
                WriteMap(writer, map, depth, maxDepth);
                break;
            default:
                throw new ArgumentException($"unknown IPLD node type {node.GetType()}", nameof(node));
        }
    }

    private static void WriteMap(DagCborWriter writer, IpldMap map, int depth, int maxDepth)
    {
        var entries = map.Entries;
        var keys = new SortKey[entries.Count];
        var sorted = true;
        for (var i = 0; i < keys.Length; i++)
        {
            var key = entries[i].Key;
            keys[i] = new SortKey(key, StrictUtf8.GetByteCount(key, Format), i);
            sorted &= i == 0 || DagCborKeyOrder.Compare(keys[i - 1].Key, keys[i - 1].Utf8Length, key, keys[i].Utf8Length) < 0;
        }
        if (!sorted)
        {
            Array.Sort(keys, static (a, b) => DagCborKeyOrder.Compare(a.Key, a.Utf8Length, b.Key, b.Utf8Length));
        }
        writer.WriteStartMap(keys.Length);
        foreach (var key in keys)
        {
            writer.WriteTextString(key.Key, key.Utf8Length);
            Write(writer, entries[key.Index].Value, depth + 1, maxDepth);
        }
    }

    private static void CheckDepth(int depth, int maxDepth)
    {
        if (depth >= maxDepth)
        {
            throw new LimitExceededException(Format, "nesting depth", maxDepth, depth + 1);
        }
    }

    private readonly record struct SortKey(string Key, int Utf8Length, int Index);
}
