using Overlay.Manifest.Errors;

namespace Overlay.Bridge.Hls;

/// <summary>
/// A well-formed playlist or segment that we refuse to import: encrypted segments
/// (<c>EXT-X-KEY</c> with a method other than NONE), an unknown segment format, a source
/// outside the imported folder. A <see cref="MalformedDataException"/> so callers keep one
/// error model; the message says what was refused and why.
/// </summary>
public sealed class HlsUnsupportedException : MalformedDataException
{
    public HlsUnsupportedException(string message) : base(HlsPlaylistParser.Format, message) { }
}
