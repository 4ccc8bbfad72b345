// Spec: https://www.rfc-editor.org/rfc/rfc8216#section-4.3.4 (Master Playlist tags)
using Overlay.Manifest.Errors;

namespace Overlay.Bridge.Hls;

/// <summary>The master-playlist half of <see cref="HlsPlaylistParser"/>: variants and renditions.</summary>
internal sealed class HlsMasterParser(Uri playlist)
{
    private readonly List<HlsVariant> _variants = [];
    private readonly List<HlsMedia> _media = [];
    private HlsVariant? _pending;

    public bool IsMaster => _variants.Count > 0 || _media.Count > 0 || _pending is not null;

    /// <summary>An EXT-X-STREAM-INF waits for its URI line.</summary>
    public bool ExpectsUri => _pending is not null;

    public void AddTag(string tag, string value)
    {
        if (_pending is not null)
        {
            throw new MalformedDataException(HlsPlaylistParser.Format, $"{tag} between EXT-X-STREAM-INF and its URI");
        }
        var attributes = HlsAttributeList.Parse(value, tag);
        switch (tag)
        {
            case "#EXT-X-STREAM-INF":
                var bandwidth = attributes.Integer("BANDWIDTH", tag)
                    ?? throw new MalformedDataException(HlsPlaylistParser.Format, "EXT-X-STREAM-INF without BANDWIDTH");
                var (width, height) = attributes.Resolution(tag);
                _pending = new HlsVariant
                {
                    Uri = playlist, // replaced by the URI line
                    Bandwidth = bandwidth,
                    AverageBandwidth = attributes.Integer("AVERAGE-BANDWIDTH", tag),
                    Codecs = attributes.Get("CODECS") ?? "",
                    Width = width,
                    Height = height,
                    FrameRate = attributes.Decimal("FRAME-RATE", tag),
                    Audio = attributes.Get("AUDIO"),
                    Subtitles = attributes.Get("SUBTITLES"),
                };
                break;
            case "#EXT-X-MEDIA":
                CheckCount();
                var uri = attributes.Get("URI");
                _media.Add(new HlsMedia
                {
                    Type = attributes.Required("TYPE", tag),
                    GroupId = attributes.Required("GROUP-ID", tag),
                    Name = attributes.Required("NAME", tag),
                    Language = attributes.Get("LANGUAGE"),
                    Uri = uri is null ? null : HlsPlaylistParser.Resolve(playlist, uri, "EXT-X-MEDIA URI"),
                    Default = attributes.YesNo("DEFAULT"),
                    Autoselect = attributes.YesNo("AUTOSELECT"),
                });
                break;
            case "#EXT-X-SESSION-KEY":
                if (!string.Equals(attributes.Get("METHOD"), "NONE", StringComparison.OrdinalIgnoreCase))
                {
                    throw new HlsUnsupportedException($"encrypted streams are not supported (EXT-X-SESSION-KEY METHOD={attributes.Get("METHOD")})");
                }
                break;
        }
    }

    public void AddUri(string line)
    {
        CheckCount();
        _variants.Add(_pending! with { Uri = HlsPlaylistParser.Resolve(playlist, line, "variant URI") });
        _pending = null;
    }

    public HlsMasterPlaylist Build(int version, bool independent)
    {
        if (_pending is not null)
        {
            throw new MalformedDataException(HlsPlaylistParser.Format, "the last EXT-X-STREAM-INF has no URI line");
        }
        return new HlsMasterPlaylist { Uri = playlist, Version = version, IndependentSegments = independent, Variants = _variants, Media = _media };
    }

    private void CheckCount()
    {
        if (_variants.Count + _media.Count >= HlsLimits.MaxVariants)
        {
            throw new LimitExceededException(HlsPlaylistParser.Format, "variants and renditions", HlsLimits.MaxVariants, _variants.Count + _media.Count + 1);
        }
    }
}
