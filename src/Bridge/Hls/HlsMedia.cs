// Spec: https://www.rfc-editor.org/rfc/rfc8216#section-4.3.4.1 (EXT-X-MEDIA)
namespace Overlay.Bridge.Hls;

/// <summary>An alternative rendition (audio, subtitles, closed captions, video).</summary>
public sealed record HlsMedia
{
    /// <summary><c>TYPE</c>: AUDIO, VIDEO, SUBTITLES or CLOSED-CAPTIONS.</summary>
    public required string Type { get; init; }

    public required string GroupId { get; init; }

    public required string Name { get; init; }

    public string? Language { get; init; }

    /// <summary>The rendition's media playlist, or null when it is carried in the variant's segments.</summary>
    public Uri? Uri { get; init; }

    public bool Default { get; init; }

    public bool Autoselect { get; init; }
}
