// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-2-0-wire-format (boxo message.proto: fields 1-5)
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Protobuf;

namespace Overlay.Bitswap.Messages;

public sealed partial class BitswapMessage
{
    private const string Format = "bitswap";

    /// <summary>
    /// Decodes one message (without its length prefix). Every count and length is checked against
    /// <see cref="BitswapLimits"/> before anything is allocated for it; block bytes are slices of
    /// <paramref name="message"/>, not copies. Any version's fields are accepted. Throws only
    /// <see cref="MalformedDataException"/> (or <see cref="LimitExceededException"/>).
    /// </summary>
    public static BitswapMessage Decode(ReadOnlyMemory<byte> message)
    {
        if (message.Length > BitswapLimits.MaxMessageSize)
        {
            throw new LimitExceededException(Format, "message size", BitswapLimits.MaxMessageSize, message.Length);
        }
        var wantlist = new List<BitswapWantlistEntry>();
        var full = false;
        var blocks = new List<BitswapBlock>();
        var presences = new List<BitswapBlockPresence>();
        var pendingBytes = 0;
        var reader = new ProtoReader(message.Span, Format);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case WantlistField:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    full = ReadWantlist(reader.ReadBytes(BitswapLimits.MaxMessageSize, "wantlist"), wantlist, full);
                    break;
                case RawBlocksField:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    CheckCount(blocks.Count, BitswapLimits.MaxBlocks, "blocks");
                    var raw = reader.ReadBytes(BitswapLimits.MaxBlockSize, "block");
                    blocks.Add(new BitswapBlock(CidPrefix.V0, message.Slice(reader.Position - raw.Length, raw.Length)));
                    break;
                case PayloadField:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    CheckCount(blocks.Count, BitswapLimits.MaxBlocks, "blocks");
                    var payload = reader.ReadBytes(BitswapLimits.MaxMessageSize, "payload block");
                    blocks.Add(ReadPayload(message.Slice(reader.Position - payload.Length, payload.Length)));
                    break;
                case PresencesField:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    CheckCount(presences.Count, BitswapLimits.MaxPresences, "block presences");
                    presences.Add(ReadPresence(reader.ReadBytes(BitswapLimits.MaxMessageSize, "block presence")));
                    break;
                case PendingBytesField:
                    reader.Expect(wireType, WireType.Varint, field);
                    pendingBytes = unchecked((int)reader.ReadVarint());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
        return new BitswapMessage
        {
            Wantlist = wantlist,
            FullWantlist = full,
            Blocks = blocks,
            Presences = presences,
            PendingBytes = pendingBytes,
        };
    }

    /// <summary>Appends the entries of one Wantlist field (protobuf merges repeated sub-messages); returns the full flag.</summary>
    private static bool ReadWantlist(ReadOnlySpan<byte> body, List<BitswapWantlistEntry> entries, bool full)
    {
        var reader = new ProtoReader(body, Format);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case EntriesField:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    CheckCount(entries.Count, BitswapLimits.MaxWantlistEntries, "wantlist entries");
                    entries.Add(ReadEntry(reader.ReadBytes(BitswapLimits.MaxMessageSize, "wantlist entry")));
                    break;
                case FullField:
                    reader.Expect(wireType, WireType.Varint, field);
                    full = reader.ReadBool();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
        return full;
    }

    private static BitswapWantlistEntry ReadEntry(ReadOnlySpan<byte> body)
    {
        var reader = new ProtoReader(body, Format);
        Cid? cid = null;
        var priority = 0;
        var cancel = false;
        var wantType = BitswapWantType.Block;
        var sendDontHave = false;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case EntryBlockField:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    cid = ReadCid(reader.ReadBytes(BitswapLimits.MaxCidLength, "wantlist CID"), "wantlist entry");
                    break;
                case EntryPriorityField:
                    reader.Expect(wireType, WireType.Varint, field);
                    priority = unchecked((int)reader.ReadVarint());
                    break;
                case EntryCancelField:
                    reader.Expect(wireType, WireType.Varint, field);
                    cancel = reader.ReadBool();
                    break;
                case EntryWantTypeField:
                    reader.Expect(wireType, WireType.Varint, field);
                    var type = reader.ReadVarint();
                    wantType = type switch
                    {
                        0 => BitswapWantType.Block,
                        1 => BitswapWantType.Have,
                        _ => throw new MalformedDataException(Format, $"unknown want type {type}"),
                    };
                    break;
                case EntrySendDontHaveField:
                    reader.Expect(wireType, WireType.Varint, field);
                    sendDontHave = reader.ReadBool();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
        return new BitswapWantlistEntry(cid ?? throw new MalformedDataException(Format, "wantlist entry without a CID"))
        {
            Priority = priority,
            Cancel = cancel,
            WantType = wantType,
            SendDontHave = sendDontHave,
        };
    }

    private static BitswapBlock ReadPayload(ReadOnlyMemory<byte> body)
    {
        var reader = new ProtoReader(body.Span, Format);
        CidPrefix? prefix = null;
        var data = ReadOnlyMemory<byte>.Empty;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case PrefixField:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    prefix = CidPrefix.Decode(reader.ReadBytes(BitswapLimits.MaxPrefixLength, "CID prefix"));
                    break;
                case DataField:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    var bytes = reader.ReadBytes(BitswapLimits.MaxBlockSize, "block");
                    data = body.Slice(reader.Position - bytes.Length, bytes.Length);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
        return new BitswapBlock(prefix ?? throw new MalformedDataException(Format, "payload block without a CID prefix"), data);
    }

    private static BitswapBlockPresence ReadPresence(ReadOnlySpan<byte> body)
    {
        var reader = new ProtoReader(body, Format);
        Cid? cid = null;
        var type = BitswapPresenceType.Have;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case PresenceCidField:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    cid = ReadCid(reader.ReadBytes(BitswapLimits.MaxCidLength, "presence CID"), "block presence");
                    break;
                case PresenceTypeField:
                    reader.Expect(wireType, WireType.Varint, field);
                    var value = reader.ReadVarint();
                    type = value switch
                    {
                        0 => BitswapPresenceType.Have,
                        1 => BitswapPresenceType.DontHave,
                        _ => throw new MalformedDataException(Format, $"unknown block presence type {value}"),
                    };
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
        return new BitswapBlockPresence(cid ?? throw new MalformedDataException(Format, "block presence without a CID"), type);
    }

    private static Cid ReadCid(ReadOnlySpan<byte> bytes, string where)
    {
        try
        {
            return Cid.Decode(bytes);
        }
        catch (MalformedDataException e)
        {
            throw new MalformedDataException(Format, $"{where}: invalid CID: {e.Message}", e);
        }
    }

    private static void CheckCount(int count, int limit, string what)
    {
        if (count >= limit)
        {
            throw new LimitExceededException(Format, what, limit, count + 1L);
        }
    }
}
