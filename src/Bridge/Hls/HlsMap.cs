// Spec: https://www.rfc-editor.org/rfc/rfc8216#section-4.3.2.5 (EXT-X-MAP)
namespace Overlay.Bridge.Hls;

/// <summary>A Media Initialization Section: the resource, or a byte range of it.</summary>
public sealed record HlsMap(Uri Uri, HlsByteRange? ByteRange);
