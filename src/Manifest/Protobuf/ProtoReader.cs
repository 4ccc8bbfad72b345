// Encoding: https://protobuf.dev/programming-guides/encoding/
using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Protobuf;

/// <summary>
/// A forward-only reader over one protobuf message held in memory. Protobuf varints differ from
/// multiformats varints (up to 10 bytes, non-minimal forms legal), hence their own reader here.
/// Every length is checked against the bytes left before a slice is taken.
/// </summary>
public ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _format;
    private int _position;

    /// <param name="format">Names the message in errors ("dag-pb", "libp2p-key", …).</param>
    public ProtoReader(ReadOnlySpan<byte> data, string format)
    {
        _data = data;
        _format = format;
        _position = 0;
    }

    public readonly bool End => _position >= _data.Length;

    public readonly int Position => _position;

    /// <summary>Reads the next field key; false at the end of the message.</summary>
    public bool TryReadTag(out int fieldNumber, out WireType wireType)
    {
        if (End)
        {
            fieldNumber = 0;
            wireType = default;
            return false;
        }
        var key = ReadVarint();
        var number = key >> 3;
        if (number == 0 || number > 536_870_911)
        {
            throw new MalformedDataException(_format, $"invalid field number {number}");
        }
        fieldNumber = (int)number;
        wireType = (WireType)(key & 7);
        if (wireType is not (WireType.Varint or WireType.Fixed64 or WireType.LengthDelimited or WireType.Fixed32))
        {
            throw new MalformedDataException(_format, $"unsupported wire type {(int)wireType} on field {fieldNumber}");
        }
        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var i = 0; i < 10; i++)
        {
            if (_position >= _data.Length)
            {
                throw new MalformedDataException(_format, "varint truncated");
            }
            var b = _data[_position++];
            if (i == 9 && b > 1)
            {
                throw new MalformedDataException(_format, "varint overflows 64 bits");
            }
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new MalformedDataException(_format, "varint longer than 10 bytes");
    }

    public bool ReadBool() => ReadVarint() != 0;

    /// <summary>Reads a length-delimited field that must be at most <paramref name="maxLength"/> bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes(int maxLength, string what)
    {
        var length = ReadVarint();
        if (length > (ulong)maxLength)
        {
            throw new LimitExceededException(_format, what, maxLength, length > long.MaxValue ? long.MaxValue : (long)length);
        }
        if ((ulong)(_data.Length - _position) < length)
        {
            throw new MalformedDataException(_format, $"{what} truncated: {length} bytes declared, {_data.Length - _position} left");
        }
        var slice = _data.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    public string ReadString(int maxLength, string what)
    {
        var bytes = ReadBytes(maxLength, what);
        try
        {
            return Utf8Strict.GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new MalformedDataException(_format, $"{what} is not valid UTF-8", e);
        }
    }

    public ulong ReadFixed64()
    {
        var bytes = Take(8);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    public uint ReadFixed32()
    {
        var bytes = Take(4);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    /// <summary>Skips a field of a type the caller does not know (forward compatibility).</summary>
    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                Take(8);
                break;
            case WireType.Fixed32:
                Take(4);
                break;
            case WireType.LengthDelimited:
                ReadBytes(_data.Length, "unknown field");
                break;
            default:
                throw new MalformedDataException(_format, $"cannot skip wire type {(int)wireType}");
        }
    }

    /// <summary>Throws unless <paramref name="actual"/> is what the schema declares for the field.</summary>
    public readonly void Expect(WireType actual, WireType expected, int fieldNumber)
    {
        if (actual != expected)
        {
            throw new MalformedDataException(_format, $"field {fieldNumber} has wire type {actual}, expected {expected}");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (_data.Length - _position < count)
        {
            throw new MalformedDataException(_format, "fixed-width field truncated");
        }
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    private static readonly System.Text.UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
