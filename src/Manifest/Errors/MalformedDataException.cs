namespace Overlay.Manifest.Errors;

/// <summary>
/// The bytes do not follow the format they claim: truncated, non-canonical, wrong type,
/// unknown code. <see cref="Format"/> names the decoder ("varint", "cid", "dag-cbor", …) so a
/// metric can count rejections per format.
/// </summary>
public class MalformedDataException : OverlayException
{
    public MalformedDataException(string format, string message, Exception? inner = null)
        : base($"{format}: {message}", inner)
    {
        Format = format;
    }

    public string Format { get; }
}
