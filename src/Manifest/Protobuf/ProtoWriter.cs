// Encoding: https://protobuf.dev/programming-guides/encoding/
using System.Buffers;
using System.Text;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Protobuf;

/// <summary>Writes protobuf fields in the order the caller gives them (deterministic output).</summary>
public sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public ProtoWriter(int initialCapacity = 256) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void WriteTag(int fieldNumber, WireType wireType) => WriteRawVarint(((ulong)fieldNumber << 3) | (ulong)wireType);

    public void WriteVarint(int fieldNumber, ulong value)
    {
        WriteTag(fieldNumber, WireType.Varint);
        WriteRawVarint(value);
    }

    public void WriteBool(int fieldNumber, bool value) => WriteVarint(fieldNumber, value ? 1UL : 0UL);

    public void WriteBytes(int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteTag(fieldNumber, WireType.LengthDelimited);
        WriteRawVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    public void WriteString(int fieldNumber, string value) => WriteBytes(fieldNumber, Encoding.UTF8.GetBytes(value));

    public void WriteFixed64(int fieldNumber, ulong value)
    {
        WriteTag(fieldNumber, WireType.Fixed64);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteRawVarint(ulong value) => _buffer.Advance(Leb128.Write(value, _buffer.GetSpan(Leb128.MaxLength)));

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);
}
