// Spec: https://www.rfc-editor.org/rfc/rfc8216#section-4.3.2.2 (EXT-X-BYTERANGE)
namespace Overlay.Bridge.Hls;

/// <summary>A sub-range of a resource: <paramref name="Length"/> bytes from <paramref name="Offset"/>.</summary>
public readonly record struct HlsByteRange(long Offset, long Length)
{
    /// <summary>The first byte after the range.</summary>
    public long End => Offset + Length;

    public override string ToString() => $"{Length}@{Offset}";
}
