// Spec: https://ipld.io/specs/codecs/dag-pb/spec/ (serial format and protobuf strictness)
using System.Text;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Protobuf;

namespace Overlay.Manifest.DagPb;

/// <summary>
/// The dag-pb codec. Encoding is canonical: links (field 2) before data (field 1), link fields
/// in field-number order. Decoding is strict as the spec asks: only the schema's fields and
/// wire types, no duplicates, link fields in order, a valid CID in every link, and Links never
/// split around Data. Both node field orders are accepted because IPFS data exists in both.
/// </summary>
public static class DagPb
{
    /// <summary>
    /// Largest block decoded: 2 MiB, the Bitswap message ceiling that the UnixFS spec names as
    /// the size every implementation must be able to decode.
    /// </summary>
    public const int MaxBlockSize = 2 * 1024 * 1024;

    internal const string FormatName = "dag-pb";

    private const byte DataTag = (1 << 3) | (byte)WireType.LengthDelimited;    // 0x0a
    private const byte LinksTag = (2 << 3) | (byte)WireType.LengthDelimited;   // 0x12
    private const byte HashTag = (1 << 3) | (byte)WireType.LengthDelimited;    // 0x0a
    private const byte NameTag = (2 << 3) | (byte)WireType.LengthDelimited;    // 0x12
    private const byte TsizeTag = (3 << 3) | (byte)WireType.Varint;            // 0x18

    /// <summary>The exact number of bytes <see cref="Encode(DagPbNode)"/> produces.</summary>
    public static int EncodedLength(DagPbNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        long length = 0;
        foreach (var link in node.LinkSpan)
        {
            var linkLength = LinkLength(link);
            length += 1 + Leb128.EncodedLength((ulong)linkLength) + linkLength;
        }
        if (node.Data is { } data)
        {
            length += 1 + Leb128.EncodedLength((ulong)data.Length) + data.Length;
        }
        return length <= int.MaxValue ? (int)length : throw new ArgumentException("node too large to encode", nameof(node));
    }

    public static byte[] Encode(DagPbNode node)
    {
        var bytes = new byte[EncodedLength(node)];
        Encode(node, bytes);
        return bytes;
    }

    /// <summary>Encodes into <paramref name="destination"/> and returns the number of bytes written.</summary>
    public static int Encode(DagPbNode node, Span<byte> destination)
    {
        var total = EncodedLength(node);
        if (destination.Length < total)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, {total} needed", nameof(destination));
        }
        var position = 0;
        foreach (var link in node.LinkSpan)
        {
            destination[position++] = LinksTag;
            position += Leb128.Write((ulong)LinkLength(link), destination[position..]);
            destination[position++] = HashTag;
            var hash = link.Hash.Bytes;
            position += Leb128.Write((ulong)hash.Length, destination[position..]);
            hash.CopyTo(destination[position..]);
            position += hash.Length;
            if (link.Name is { } name)
            {
                destination[position++] = NameTag;
                var nameLength = Encoding.UTF8.GetByteCount(name);
                position += Leb128.Write((ulong)nameLength, destination[position..]);
                position += Encoding.UTF8.GetBytes(name, destination[position..]);
            }
            if (link.Tsize is { } tsize)
            {
                destination[position++] = TsizeTag;
                position += Leb128.Write(tsize, destination[position..]);
            }
        }
        if (node.Data is { } data)
        {
            destination[position++] = DataTag;
            position += Leb128.Write((ulong)data.Length, destination[position..]);
            data.Span.CopyTo(destination[position..]);
            position += data.Length;
        }
        return position;
    }

    /// <summary>Decodes one dag-pb block; only <see cref="MalformedDataException"/> escapes on bad bytes.</summary>
    public static DagPbNode Decode(ReadOnlySpan<byte> block)
    {
        if (block.Length > MaxBlockSize)
        {
            throw new LimitExceededException(FormatName, "block size", MaxBlockSize, block.Length);
        }
        var reader = new ProtoReader(block, FormatName);
        var links = new List<DagPbLink>();
        byte[]? data = null;
        var linksBeforeData = false;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (wireType != WireType.LengthDelimited)
            {
                throw new MalformedDataException(FormatName, $"PBNode field {field} has wire type {wireType}, expected length-delimited");
            }
            switch (field)
            {
                case 1:
                    if (data is not null)
                    {
                        throw new MalformedDataException(FormatName, "duplicate Data field");
                    }
                    data = reader.ReadBytes(block.Length, "Data").ToArray();
                    linksBeforeData = links.Count > 0;
                    break;
                case 2:
                    if (linksBeforeData)
                    {
                        // Links, Data, Links: the Links list would be split in two.
                        throw new MalformedDataException(FormatName, "Links found after Data that followed Links");
                    }
                    links.Add(DecodeLink(reader.ReadBytes(block.Length, "PBLink")));
                    break;
                default:
                    throw new MalformedDataException(FormatName, $"unknown PBNode field {field}");
            }
        }
        // Explicit: a null byte[] would otherwise convert to an empty (present) Data field.
        return new DagPbNode(links.ToArray(), data is null ? (ReadOnlyMemory<byte>?)null : data, validate: false);
    }

    private static DagPbLink DecodeLink(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes, FormatName);
        Cid? hash = null;
        string? name = null;
        ulong? tsize = null;
        var lastField = 0;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field is < 1 or > 3)
            {
                throw new MalformedDataException(FormatName, $"unknown PBLink field {field}");
            }
            if (field == lastField)
            {
                throw new MalformedDataException(FormatName, $"duplicate PBLink field {field}");
            }
            if (field < lastField)
            {
                throw new MalformedDataException(FormatName, $"PBLink field {field} after field {lastField}: fields must be in order");
            }
            lastField = field;
            var expected = field == 3 ? WireType.Varint : WireType.LengthDelimited;
            reader.Expect(wireType, expected, field);
            switch (field)
            {
                case 1:
                    hash = DecodeHash(reader.ReadBytes(bytes.Length, "Hash"));
                    break;
                case 2:
                    name = reader.ReadString(bytes.Length, "Name");
                    break;
                default:
                    tsize = reader.ReadVarint();
                    break;
            }
        }
        if (hash is null)
        {
            throw new MalformedDataException(FormatName, "link has no Hash");
        }
        return new DagPbLink(hash, name, tsize);
    }

    private static Cid DecodeHash(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return Cid.Decode(bytes);
        }
        catch (MalformedDataException e)
        {
            throw new MalformedDataException(FormatName, "link Hash is not a valid CID: " + e.Message, e);
        }
    }

    private static int LinkLength(DagPbLink link)
    {
        var hashLength = link.Hash.Bytes.Length;
        var length = 1 + Leb128.EncodedLength((ulong)hashLength) + hashLength;
        if (link.Name is { } name)
        {
            var nameLength = Encoding.UTF8.GetByteCount(name);
            length += 1 + Leb128.EncodedLength((ulong)nameLength) + nameLength;
        }
        if (link.Tsize is { } tsize)
        {
            length += 1 + Leb128.EncodedLength(tsize);
        }
        return length;
    }
}
