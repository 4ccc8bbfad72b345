using System.Text;
using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Codecs.DagCbor;

/// <summary>
/// UTF-8 that refuses lone surrogates instead of replacing them with U+FFFD: a replacement
/// would silently change the data and so its CID. Shared by the dag-cbor and dag-json encoders.
/// </summary>
internal static class StrictUtf8
{
    private static readonly UTF8Encoding Encoding = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The UTF-8 length of <paramref name="value"/>; malformed data if it is not valid UTF-16.</summary>
    public static int GetByteCount(string value, string format)
    {
        if (System.Text.Ascii.IsValid(value))
        {
            return value.Length;
        }
        try
        {
            return Encoding.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new MalformedDataException(format, "string holds a lone UTF-16 surrogate and has no UTF-8 form", e);
        }
    }

    /// <summary>Encodes a string already measured by <see cref="GetByteCount"/>.</summary>
    public static int GetBytes(string value, Span<byte> destination) => Encoding.GetBytes(value, destination);
}
