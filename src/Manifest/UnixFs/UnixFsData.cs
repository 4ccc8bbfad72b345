// Spec: https://specs.ipfs.tech/unixfs/#dag-pb-node (message Data, message UnixTime)
using System.Buffers.Binary;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Protobuf;

namespace Overlay.Manifest.UnixFs;

/// <summary>
/// The UnixFS <c>Data</c> message carried in a dag-pb node's Data field. Encoding writes fields
/// in field-number order with repeated <c>blocksizes</c> unpacked and an empty <c>Data</c> left
/// out, which is what Helia (ipfs-unixfs) and boxo write, so the bytes — and CIDs — match theirs.
/// </summary>
public sealed class UnixFsData
{
    /// <summary>Largest HAMT fanout accepted: the spec's cap, there against CVE-2023-23625.</summary>
    public const ulong MaxFanout = 1024;

    internal const string FormatName = "unixfs";

    public UnixFsType Type { get; init; }

    /// <summary>File bytes (File/Raw), link target (Symlink) or bitfield (HAMTShard); null when absent.</summary>
    public ReadOnlyMemory<byte>? Data { get; init; }

    /// <summary>Total file bytes below this node; written for File and Raw nodes.</summary>
    public ulong? FileSize { get; init; }

    /// <summary>File bytes under each link, index for index with the dag-pb links.</summary>
    public IReadOnlyList<ulong> BlockSizes { get; init; } = [];

    /// <summary>HAMT hash function (murmur3-x64-64 = 0x22).</summary>
    public ulong? HashType { get; init; }

    public ulong? Fanout { get; init; }

    /// <summary>POSIX mode bits (UnixFS 1.5), opt-in.</summary>
    public uint? Mode { get; init; }

    /// <summary>Modification time (UnixFS 1.5), opt-in.</summary>
    public UnixFsTime? ModificationTime { get; init; }

    /// <summary>The file bytes this node stands for: its own Data plus every blocksize.</summary>
    public ulong ContentSize()
    {
        var size = (ulong)(Data?.Length ?? 0);
        foreach (var blockSize in BlockSizes)
        {
            size = checked(size + blockSize);
        }
        return size;
    }

    public byte[] Encode()
    {
        var writer = new ProtoWriter(16 + (Data?.Length ?? 0) + 6 * BlockSizes.Count);
        writer.WriteVarint(1, (ulong)Type);
        if (Data is { Length: > 0 } data)
        {
            writer.WriteBytes(2, data.Span);
        }
        if (FileSize is { } fileSize)
        {
            writer.WriteVarint(3, fileSize);
        }
        foreach (var blockSize in BlockSizes)
        {
            writer.WriteVarint(4, blockSize);
        }
        if (HashType is { } hashType)
        {
            writer.WriteVarint(5, hashType);
        }
        if (Fanout is { } fanout)
        {
            writer.WriteVarint(6, fanout);
        }
        if (Mode is { } mode)
        {
            writer.WriteVarint(7, mode);
        }
        if (ModificationTime is { } mtime)
        {
            var time = new ProtoWriter(16);
            time.WriteVarint(1, (ulong)mtime.Seconds);
            if (mtime.Nanoseconds is { } nanos and not 0)
            {
                if (nanos > UnixFsTime.MaxNanoseconds)
                {
                    throw new InvalidOperationException($"mtime fraction {nanos} ns is not below one second");
                }
                time.WriteTag(2, WireType.Fixed32);
                Span<byte> fixed32 = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(fixed32, nanos);
                time.WriteRaw(fixed32);
            }
            writer.WriteBytes(8, time.WrittenSpan);
        }
        return writer.ToArray();
    }

    /// <summary>
    /// Decodes a Data message. Type must be present (the spec leaves that check to readers),
    /// known fields must have their wire types and appear once, the mtime fraction must be in
    /// range; unknown fields are skipped as protobuf allows.
    /// </summary>
    public static UnixFsData Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes, FormatName);
        UnixFsType? type = null;
        ReadOnlyMemory<byte>? data = null;
        ulong? fileSize = null, hashType = null, fanout = null;
        uint? mode = null;
        UnixFsTime? mtime = null;
        var blockSizes = new List<ulong>();
        var seen = 0;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field is >= 1 and <= 8 && field != 4)
            {
                if ((seen & (1 << field)) != 0)
                {
                    throw new MalformedDataException(FormatName, $"duplicate field {field}");
                }
                seen |= 1 << field;
            }
            switch (field)
            {
                case 1:
                    reader.Expect(wireType, WireType.Varint, field);
                    var value = reader.ReadVarint();
                    type = value <= (ulong)UnixFsType.HamtShard
                        ? (UnixFsType)value
                        : throw new MalformedDataException(FormatName, $"unknown Type {value}");
                    break;
                case 2:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    data = reader.ReadBytes(bytes.Length, "Data").ToArray();
                    break;
                case 3:
                    reader.Expect(wireType, WireType.Varint, field);
                    fileSize = reader.ReadVarint();
                    break;
                case 4:
                    ReadBlockSizes(ref reader, wireType, bytes.Length, blockSizes);
                    break;
                case 5:
                    reader.Expect(wireType, WireType.Varint, field);
                    hashType = reader.ReadVarint();
                    break;
                case 6:
                    reader.Expect(wireType, WireType.Varint, field);
                    fanout = reader.ReadVarint();
                    break;
                case 7:
                    reader.Expect(wireType, WireType.Varint, field);
                    var rawMode = reader.ReadVarint();
                    mode = rawMode <= uint.MaxValue ? (uint)rawMode : throw new MalformedDataException(FormatName, "mode does not fit 32 bits");
                    break;
                case 8:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    mtime = DecodeTime(reader.ReadBytes(bytes.Length, "mtime"));
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
        return new UnixFsData
        {
            Type = type ?? throw new MalformedDataException(FormatName, "Type is missing"),
            Data = data,
            FileSize = fileSize,
            BlockSizes = blockSizes,
            HashType = hashType,
            Fanout = fanout,
            Mode = mode,
            ModificationTime = mtime,
        };
    }

    private static void ReadBlockSizes(ref ProtoReader reader, WireType wireType, int maxLength, List<ulong> blockSizes)
    {
        if (wireType == WireType.Varint)
        {
            blockSizes.Add(reader.ReadVarint());
            return;
        }
        // proto2 parsers accept the packed form of a repeated scalar too.
        reader.Expect(wireType, WireType.LengthDelimited, 4);
        var packed = new ProtoReader(reader.ReadBytes(maxLength, "blocksizes"), FormatName);
        while (!packed.End)
        {
            blockSizes.Add(packed.ReadVarint());
        }
    }

    private static UnixFsTime DecodeTime(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes, FormatName);
        long? seconds = null;
        uint? nanos = null;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1 when seconds is null:
                    reader.Expect(wireType, WireType.Varint, field);
                    seconds = (long)reader.ReadVarint();
                    break;
                case 2 when nanos is null:
                    reader.Expect(wireType, WireType.Fixed32, field);
                    nanos = reader.ReadFixed32();
                    if (nanos is 0 or > UnixFsTime.MaxNanoseconds)
                    {
                        throw new MalformedDataException(FormatName, $"mtime fraction {nanos} outside 1..999999999");
                    }
                    break;
                case 1 or 2:
                    throw new MalformedDataException(FormatName, $"duplicate mtime field {field}");
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
        return new UnixFsTime(seconds ?? throw new MalformedDataException(FormatName, "mtime Seconds is missing"), nanos);
    }
}
