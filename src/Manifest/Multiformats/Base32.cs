// RFC 4648 §6 base32 without padding, as multibase 'b'/'B' uses it.
using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Multiformats;

internal static class Base32
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const string FormatName = "base32";

    public static string Encode(ReadOnlySpan<byte> data, bool upper = false)
    {
        var chars = new char[(data.Length * 8 + 4) / 5];
        var buffer = 0;
        var bits = 0;
        var n = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[n++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }
        if (bits > 0)
        {
            chars[n++] = Alphabet[(buffer << (5 - bits)) & 31];
        }
        var text = new string(chars, 0, n);
        return upper ? text.ToUpperInvariant() : text;
    }

    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        // Trailing '=' padding is tolerated on input (multibase 'c'/'C' carry it), never written.
        while (text.Length > 0 && text[^1] == '=')
        {
            text = text[..^1];
        }
        if (text.Length % 8 is 1 or 3 or 6)
        {
            throw new MalformedDataException(FormatName, $"length {text.Length} cannot come from whole bytes");
        }
        var bytes = new byte[text.Length * 5 / 8];
        var buffer = 0;
        var bits = 0;
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = char.ToLowerInvariant(text[i]);
            int value = c switch
            {
                >= 'a' and <= 'z' => c - 'a',
                >= '2' and <= '7' => c - '2' + 26,
                _ => throw new MalformedDataException(FormatName, $"character '{text[i]}' at {i} is not in the alphabet"),
            };
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes[n++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0)
        {
            throw new MalformedDataException(FormatName, "non-zero padding bits");
        }
        return bytes;
    }
}
