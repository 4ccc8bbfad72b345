namespace Overlay.Manifest.Multiformats;

/// <summary>
/// Unsigned LEB128 over all 64 bits: the protobuf varint. Multiformats varints
/// (<see cref="Varint"/>) are its minimal, at most 63-bit subset, so both share this writer.
/// </summary>
internal static class Leb128
{
    /// <summary>Longest encoding of a 64-bit value.</summary>
    public const int MaxLength = 10;

    public static int EncodedLength(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }
        return length;
    }

    /// <summary>Writes the shortest encoding of <paramref name="value"/> and returns its length.</summary>
    public static int Write(ulong value, Span<byte> destination)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }
}
