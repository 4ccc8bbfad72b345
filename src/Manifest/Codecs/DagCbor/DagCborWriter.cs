// Spec: https://ipld.io/specs/codecs/dag-cbor/spec/#strictness (RFC 8949 §4.2.1 core deterministic encoding)
using System.Buffers;
using System.Buffers.Binary;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Codecs.DagCbor;

/// <summary>
/// Writes dag-cbor tokens in their only allowed form: shortest heads, 64-bit floats, tag 42 as
/// 0xd82a. Map key order is the caller's job (see <see cref="DagCborKeyOrder"/>).
/// </summary>
internal readonly struct DagCborWriter
{
    private readonly IBufferWriter<byte> _output;

    public DagCborWriter(IBufferWriter<byte> output) => _output = output;

    public void WriteInteger(Int128 value)
    {
        if (value >= 0)
        {
            WriteHead(0, (ulong)value);
        }
        else
        {
            WriteHead(1, (ulong)(-1 - value));
        }
    }

    public void WriteDouble(double value)
    {
        var span = _output.GetSpan(9);
        span[0] = 0xfb;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], value);
        _output.Advance(9);
    }

    public void WriteBoolean(bool value) => WriteByte(value ? (byte)0xf5 : (byte)0xf4);

    public void WriteNull() => WriteByte(0xf6);

    /// <summary>Writes a text string whose UTF-8 length the caller already knows (and validated).</summary>
    public void WriteTextString(string value, int utf8Length)
    {
        WriteHead(3, (ulong)utf8Length);
        var span = _output.GetSpan(utf8Length);
        var written = StrictUtf8.GetBytes(value, span);
        _output.Advance(written);
    }

    public void WriteByteString(ReadOnlySpan<byte> value)
    {
        WriteHead(2, (ulong)value.Length);
        _output.Write(value);
    }

    public void WriteLink(Cid cid)
    {
        var bytes = cid.Bytes;
        WriteByte(0xd8);
        WriteByte(0x2a);
        WriteHead(2, (ulong)bytes.Length + 1);
        WriteByte(0x00);
        _output.Write(bytes);
    }

    public void WriteStartArray(int count) => WriteHead(4, (ulong)count);

    public void WriteStartMap(int count) => WriteHead(5, (ulong)count);

    private void WriteHead(int major, ulong value)
    {
        var span = _output.GetSpan(9);
        var initial = (byte)(major << 5);
        int length;
        if (value < 24)
        {
            span[0] = (byte)(initial | (byte)value);
            length = 1;
        }
        else if (value <= byte.MaxValue)
        {
            span[0] = (byte)(initial | 24);
            span[1] = (byte)value;
            length = 2;
        }
        else if (value <= ushort.MaxValue)
        {
            span[0] = (byte)(initial | 25);
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)value);
            length = 3;
        }
        else if (value <= uint.MaxValue)
        {
            span[0] = (byte)(initial | 26);
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)value);
            length = 5;
        }
        else
        {
            span[0] = (byte)(initial | 27);
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], value);
            length = 9;
        }
        _output.Advance(length);
    }

    private void WriteByte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }
}
