using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Multiformats;

/// <summary>
/// Radix conversion for alphabets whose size is not a power of two (base58btc, base36).
/// Leading zero bytes map one-to-one to the alphabet's first character, as both specs require.
/// Quadratic in the length, so inputs are bounded by <see cref="MaxEncodedLength"/>.
/// </summary>
internal sealed class BaseN
{
    /// <summary>Identifiers, keys and CIDs are far shorter; the cap keeps a hostile string from costing seconds.</summary>
    public const int MaxEncodedLength = 8192;

    private readonly string _alphabet;
    private readonly sbyte[] _values = new sbyte[128];
    private readonly string _name;

    public BaseN(string name, string alphabet, bool caseInsensitive)
    {
        _name = name;
        _alphabet = alphabet;
        Array.Fill(_values, (sbyte)-1);
        for (var i = 0; i < alphabet.Length; i++)
        {
            _values[alphabet[i]] = (sbyte)i;
            if (caseInsensitive)
            {
                _values[char.ToUpperInvariant(alphabet[i])] = (sbyte)i;
            }
        }
    }

    public string Encode(ReadOnlySpan<byte> data)
    {
        var radix = _alphabet.Length;
        var zeros = 0;
        while (zeros < data.Length && data[zeros] == 0)
        {
            zeros++;
        }
        // log(256)/log(radix) digits per byte, rounded up.
        var capacity = (int)((data.Length - zeros) * Math.Log(256) / Math.Log(radix)) + 1;
        var digits = new byte[capacity];
        var length = 0;
        for (var i = zeros; i < data.Length; i++)
        {
            var carry = (int)data[i];
            for (var j = 0; j < length; j++)
            {
                carry += digits[j] << 8;
                digits[j] = (byte)(carry % radix);
                carry /= radix;
            }
            while (carry > 0)
            {
                digits[length++] = (byte)(carry % radix);
                carry /= radix;
            }
        }
        var chars = new char[zeros + length];
        chars.AsSpan(0, zeros).Fill(_alphabet[0]);
        for (var i = 0; i < length; i++)
        {
            chars[zeros + i] = _alphabet[digits[length - 1 - i]];
        }
        return new string(chars);
    }

    public byte[] Decode(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxEncodedLength)
        {
            throw new LimitExceededException(_name, "encoded length", MaxEncodedLength, text.Length);
        }
        var radix = _alphabet.Length;
        var zeros = 0;
        while (zeros < text.Length && text[zeros] < 128 && _values[text[zeros]] == 0)
        {
            zeros++;
        }
        var bytes = new byte[text.Length - zeros];
        var length = 0;
        for (var i = zeros; i < text.Length; i++)
        {
            var c = text[i];
            var value = c < 128 ? _values[c] : -1;
            if (value < 0)
            {
                throw new MalformedDataException(_name, $"character '{c}' at {i} is not in the alphabet");
            }
            var carry = (int)value;
            for (var j = 0; j < length; j++)
            {
                carry += bytes[j] * radix;
                bytes[j] = (byte)carry;
                carry >>= 8;
            }
            while (carry > 0)
            {
                bytes[length++] = (byte)carry;
                carry >>= 8;
            }
        }
        var result = new byte[zeros + length];
        for (var i = 0; i < length; i++)
        {
            result[zeros + i] = bytes[length - 1 - i];
        }
        return result;
    }
}
