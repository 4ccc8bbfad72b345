// Spec: specs/manifest.md §2 (rendition map).
namespace Overlay.Manifest.Streams;

/// <summary>One variant stream of the master playlist (<c>EXT-X-STREAM-INF</c>).</summary>
/// <param name="Id">1..32 characters of [A-Za-z0-9._-]; bundles of this rendition carry it.</param>
/// <param name="Bandwidth">Peak bit rate in bits per second (<c>BANDWIDTH</c>).</param>
/// <param name="Codecs">RFC 6381 codecs (<c>CODECS</c>), empty when unknown.</param>
/// <param name="Width">Pixels (<c>RESOLUTION</c>); 0 together with <paramref name="Height"/> when there is no video.</param>
/// <param name="Height">Pixels; 0 exactly when <paramref name="Width"/> is 0.</param>
public sealed record Rendition(string Id, long Bandwidth, string Codecs = "", int Width = 0, int Height = 0)
{
    internal string? Problem()
    {
        if (Id is null || !StreamFields.IsRenditionId(Id, allowEmpty: false))
        {
            return $"rendition id '{Id}' must be 1..32 characters of [A-Za-z0-9._-]";
        }
        if (Bandwidth is < 1 or > StreamLimits.MaxSafeInteger)
        {
            return $"rendition '{Id}': bandwidth {Bandwidth} is outside 1..2^53-1";
        }
        if (Codecs is null || Codecs.Length > StreamLimits.MaxCodecsBytes || Codecs.Any(c => c is < ' ' or > '~' or '"'))
        {
            return $"rendition '{Id}': codecs must be at most 128 printable ASCII characters without '\"'";
        }
        if (Width is < 0 or > ushort.MaxValue || Height is < 0 or > ushort.MaxValue || (Width == 0) != (Height == 0))
        {
            return $"rendition '{Id}': resolution {Width}x{Height} must be 0x0 or within 1..65535 both";
        }
        return null;
    }
}
