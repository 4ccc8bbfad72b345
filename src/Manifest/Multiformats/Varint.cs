// Spec: https://github.com/multiformats/unsigned-varint (minimal encoding, at most 9 bytes).
using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Multiformats;

/// <summary>Unsigned LEB128 varints as multiformats restricts them: minimal and ≤ 9 bytes (63 bits).</summary>
public static class Varint
{
    /// <summary>The spec caps varints at 9 bytes, so values are at most 2^63 - 1.</summary>
    public const int MaxLength = 9;

    public const ulong MaxValue = long.MaxValue;

    private const string FormatName = "varint";

    public static int EncodedLength(ulong value) => Leb128.EncodedLength(value);

    /// <summary>Writes <paramref name="value"/> and returns the number of bytes written.</summary>
    public static int Write(ulong value, Span<byte> destination)
    {
        if (value > MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "multiformats varints carry at most 63 bits");
        }
        return Leb128.Write(value, destination);
    }

    public static byte[] Encode(ulong value)
    {
        var bytes = new byte[EncodedLength(value)];
        Write(value, bytes);
        return bytes;
    }

    /// <summary>
    /// Reads one varint. Returns false when <paramref name="source"/> ends before the varint does
    /// (more bytes may arrive); throws <see cref="MalformedDataException"/> when no number of
    /// further bytes could make it valid.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ulong value, out int consumed)
    {
        value = 0;
        consumed = 0;
        var shift = 0;
        for (var i = 0; i < source.Length; i++)
        {
            if (i == MaxLength)
            {
                throw new MalformedDataException(FormatName, "longer than 9 bytes");
            }
            var b = source[i];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    throw new MalformedDataException(FormatName, "not minimally encoded");
                }
                consumed = i + 1;
                return true;
            }
            shift += 7;
        }
        if (source.Length >= MaxLength)
        {
            throw new MalformedDataException(FormatName, "longer than 9 bytes");
        }
        value = 0;
        return false;
    }

    /// <summary>Reads one varint that must be complete within <paramref name="source"/>.</summary>
    public static ulong Read(ReadOnlySpan<byte> source, out int consumed)
    {
        if (!TryRead(source, out var value, out consumed))
        {
            throw new MalformedDataException(FormatName, source.IsEmpty ? "no bytes" : "truncated");
        }
        return value;
    }

    /// <summary>Reads a varint that must fit an <see cref="int"/> and be at most <paramref name="max"/>.</summary>
    public static int ReadBounded(ReadOnlySpan<byte> source, int max, string what, out int consumed)
    {
        var value = Read(source, out consumed);
        if (value > (ulong)max)
        {
            throw new LimitExceededException(FormatName, what, max, value > long.MaxValue ? long.MaxValue : (long)value);
        }
        return (int)value;
    }
}
