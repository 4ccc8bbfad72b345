// Encoding: https://protobuf.dev/programming-guides/encoding/
using System.Buffers;

namespace Overlay.Bitswap.Messages;

/// <summary>
/// Protobuf field writing straight into an <see cref="IBufferWriter{T}"/>, with the matching
/// length arithmetic, so a 4 MiB message is written once into the stream's buffer instead of
/// being assembled and copied.
/// </summary>
internal static class ProtoOutput
{
    private const int LengthDelimited = 2;
    private const int VarintType = 0;

    public static int VarintLength(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }
        return length;
    }

    /// <summary>Bytes of a varint field (tag included; field numbers below 16 have one-byte tags).</summary>
    public static int VarintField(ulong value) => 1 + VarintLength(value);

    /// <summary>Bytes of a length-delimited field with a body of <paramref name="length"/> bytes.</summary>
    public static int LengthField(int length) => 1 + VarintLength((ulong)length) + length;

    public static void WriteVarint(IBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        output.Advance(i);
    }

    public static void WriteVarintField(IBufferWriter<byte> output, int field, ulong value)
    {
        WriteVarint(output, ((ulong)field << 3) | VarintType);
        WriteVarint(output, value);
    }

    /// <summary>The tag and length of a length-delimited field; the caller writes the body.</summary>
    public static void WriteLengthHeader(IBufferWriter<byte> output, int field, int length)
    {
        WriteVarint(output, ((ulong)field << 3) | LengthDelimited);
        WriteVarint(output, (ulong)length);
    }

    public static void WriteBytesField(IBufferWriter<byte> output, int field, ReadOnlySpan<byte> value)
    {
        WriteLengthHeader(output, field, value.Length);
        output.Write(value);
    }
}
