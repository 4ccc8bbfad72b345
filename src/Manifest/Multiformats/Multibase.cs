// Spec: https://github.com/multiformats/multibase (prefix character + encoded bytes).
using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Multiformats;

public static class Multibase
{
    private const string FormatName = "multibase";

    internal static readonly BaseN Base58Btc = new("base58btc", "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", caseInsensitive: false);
    internal static readonly BaseN Base36 = new("base36", "0123456789abcdefghijklmnopqrstuvwxyz", caseInsensitive: true);

    /// <summary>Encodes with the prefix character.</summary>
    public static string Encode(ReadOnlySpan<byte> data, MultibaseEncoding encoding) =>
        (char)encoding + EncodeBare(data, encoding);

    /// <summary>Encodes without the prefix (CIDv0 and peer IDs print bare base58btc).</summary>
    public static string EncodeBare(ReadOnlySpan<byte> data, MultibaseEncoding encoding) => encoding switch
    {
        MultibaseEncoding.Base16 => Convert.ToHexStringLower(data),
        MultibaseEncoding.Base16Upper => Convert.ToHexString(data),
        MultibaseEncoding.Base32 => Multiformats.Base32.Encode(data),
        MultibaseEncoding.Base32Upper => Multiformats.Base32.Encode(data, upper: true),
        MultibaseEncoding.Base32Pad => PadTo8(Multiformats.Base32.Encode(data)),
        MultibaseEncoding.Base32PadUpper => PadTo8(Multiformats.Base32.Encode(data, upper: true)),
        MultibaseEncoding.Base36 => Base36.Encode(data),
        MultibaseEncoding.Base36Upper => Base36.Encode(data).ToUpperInvariant(),
        MultibaseEncoding.Base58Btc => Base58Btc.Encode(data),
        MultibaseEncoding.Base64 => Convert.ToBase64String(data).TrimEnd('='),
        MultibaseEncoding.Base64Url => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        MultibaseEncoding.Base64Pad => Convert.ToBase64String(data),
        MultibaseEncoding.Base64UrlPad => Convert.ToBase64String(data).Replace('+', '-').Replace('/', '_'),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
    };

    public static byte[] Decode(string text) => Decode(text, out _);

    public static byte[] Decode(string text, out MultibaseEncoding encoding)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new MalformedDataException(FormatName, "empty string");
        }
        encoding = text[0] switch
        {
            'f' => MultibaseEncoding.Base16,
            'F' => MultibaseEncoding.Base16Upper,
            'b' => MultibaseEncoding.Base32,
            'B' => MultibaseEncoding.Base32Upper,
            'c' => MultibaseEncoding.Base32Pad,
            'C' => MultibaseEncoding.Base32PadUpper,
            'k' => MultibaseEncoding.Base36,
            'K' => MultibaseEncoding.Base36Upper,
            'z' => MultibaseEncoding.Base58Btc,
            'm' => MultibaseEncoding.Base64,
            'u' => MultibaseEncoding.Base64Url,
            'M' => MultibaseEncoding.Base64Pad,
            'U' => MultibaseEncoding.Base64UrlPad,
            _ => throw new MalformedDataException(FormatName, $"unsupported prefix '{text[0]}'"),
        };
        return DecodeBare(text.AsSpan(1), encoding);
    }

    public static byte[] DecodeBare(ReadOnlySpan<char> text, MultibaseEncoding encoding)
    {
        switch (encoding)
        {
            case MultibaseEncoding.Base16:
            case MultibaseEncoding.Base16Upper:
                return DecodeHex(text);
            case MultibaseEncoding.Base32:
            case MultibaseEncoding.Base32Upper:
                if (text.Contains('='))
                {
                    throw new MalformedDataException("base32", "padding in an unpadded encoding");
                }
                return Multiformats.Base32.Decode(text);
            case MultibaseEncoding.Base32Pad:
            case MultibaseEncoding.Base32PadUpper:
                if (text.Length % 8 != 0)
                {
                    throw new MalformedDataException("base32", "padded base32 must be a multiple of 8 characters");
                }
                return Multiformats.Base32.Decode(text);
            case MultibaseEncoding.Base36:
            case MultibaseEncoding.Base36Upper:
                return Base36.Decode(text);
            case MultibaseEncoding.Base58Btc:
                return Base58Btc.Decode(text);
            case MultibaseEncoding.Base64:
            case MultibaseEncoding.Base64Url:
                return DecodeBase64(text, url: encoding == MultibaseEncoding.Base64Url, padded: false);
            case MultibaseEncoding.Base64Pad:
            case MultibaseEncoding.Base64UrlPad:
                return DecodeBase64(text, url: encoding == MultibaseEncoding.Base64UrlPad, padded: true);
            default:
                throw new ArgumentOutOfRangeException(nameof(encoding));
        }
    }

    private static byte[] DecodeHex(ReadOnlySpan<char> text)
    {
        if (text.Length % 2 != 0)
        {
            throw new MalformedDataException("base16", "odd number of digits");
        }
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException e)
        {
            throw new MalformedDataException("base16", "not a hex digit", e);
        }
    }

    private static string PadTo8(string text) => text.PadRight((text.Length + 7) / 8 * 8, '=');

    private static byte[] DecodeBase64(ReadOnlySpan<char> text, bool url, bool padded)
    {
        if (padded)
        {
            if (text.Length % 4 != 0)
            {
                throw new MalformedDataException("base64", "padded base64 must be a multiple of 4 characters");
            }
            var trimmed = text.TrimEnd('=');
            if (text.Length - trimmed.Length > 2)
            {
                throw new MalformedDataException("base64", "too much padding");
            }
            text = trimmed;
        }
        if (text.Length % 4 == 1)
        {
            throw new MalformedDataException("base64", $"length {text.Length} cannot come from whole bytes");
        }
        var withPadding = new char[(text.Length + 3) / 4 * 4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (url ? c is '+' or '/' : c is '-' or '_')
            {
                throw new MalformedDataException("base64", $"character '{c}' at {i} is not in the alphabet");
            }
            withPadding[i] = c switch { '-' => '+', '_' => '/', _ => c };
        }
        withPadding.AsSpan(text.Length).Fill('=');
        var bytes = new byte[withPadding.Length / 4 * 3];
        if (!Convert.TryFromBase64Chars(withPadding, bytes, out var written) || text.Contains('='))
        {
            throw new MalformedDataException("base64", "not valid base64");
        }
        return bytes[..written];
    }
}
