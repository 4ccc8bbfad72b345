// Spec: https://www.rfc-editor.org/rfc/rfc8216#section-4.3.2 and §4.3.3 (Media Segment and Media Playlist tags)
using System.Globalization;
using Overlay.Manifest.Errors;

namespace Overlay.Bridge.Hls;

/// <summary>
/// The media-playlist half of <see cref="HlsPlaylistParser"/>. Tags before a URI line apply to
/// that segment (EXTINF, BYTERANGE, DISCONTINUITY, PROGRAM-DATE-TIME) or to it and every later
/// one (MAP, KEY); sequence numbers are counted as RFC 8216 §4.3.3.2–3 define them.
/// </summary>
internal sealed class HlsMediaParser(Uri playlist)
{
    private const string Format = HlsPlaylistParser.Format;

    private readonly List<HlsSegment> _segments = [];
    private long _targetDuration;
    private long _mediaSequence;
    private long _discontinuitySequence;
    private bool _sequenceTagsClosed;
    private HlsPlaylistType _type;
    private bool _endList;

    private TimeSpan? _duration;
    private string _title = "";
    private (long Length, long? Offset)? _byteRange;
    private bool _discontinuity;
    private long _discontinuities;
    private DateTimeOffset? _programDateTime;
    private HlsMap? _map;

    public bool IsMedia => _segments.Count > 0;

    public bool HasPendingSegment => _duration is not null;

    public void AddTag(string tag, string value)
    {
        switch (tag)
        {
            case "#EXTINF":
                (_duration, _title) = ParseExtinf(value);
                break;
            case "#EXT-X-TARGETDURATION":
                _targetDuration = HlsPlaylistParser.ParseInteger(value, tag);
                break;
            case "#EXT-X-MEDIA-SEQUENCE":
                CheckBeforeSegments(tag);
                _mediaSequence = HlsPlaylistParser.ParseInteger(value, tag);
                break;
            case "#EXT-X-DISCONTINUITY-SEQUENCE":
                CheckBeforeSegments(tag);
                _discontinuitySequence = HlsPlaylistParser.ParseInteger(value, tag);
                break;
            case "#EXT-X-DISCONTINUITY":
                _discontinuity = true;
                break;
            case "#EXT-X-BYTERANGE":
                _byteRange = ParseByteRange(value, tag);
                break;
            case "#EXT-X-PROGRAM-DATE-TIME":
                if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                {
                    throw new MalformedDataException(Format, $"{tag}: '{HlsPlaylistParser.Clip(value)}' is not an ISO 8601 date-time");
                }
                _programDateTime = time;
                break;
            case "#EXT-X-MAP":
                var attributes = HlsAttributeList.Parse(value, tag);
                var uri = HlsPlaylistParser.Resolve(playlist, attributes.Required("URI", tag), "EXT-X-MAP URI");
                HlsByteRange? range = null;
                if (attributes.Get("BYTERANGE") is { } text)
                {
                    var (length, offset) = ParseByteRange(text, tag);
                    range = new HlsByteRange(offset ?? 0, length);
                }
                _map = new HlsMap(uri, range);
                break;
            case "#EXT-X-KEY":
                var method = HlsAttributeList.Parse(value, tag).Required("METHOD", tag);
                if (!string.Equals(method, "NONE", StringComparison.OrdinalIgnoreCase))
                {
                    throw new HlsUnsupportedException($"encrypted streams are not supported (EXT-X-KEY METHOD={HlsPlaylistParser.Clip(method)})");
                }
                break;
            case "#EXT-X-PLAYLIST-TYPE":
                _type = value switch
                {
                    "VOD" => HlsPlaylistType.Vod,
                    "EVENT" => HlsPlaylistType.Event,
                    _ => throw new MalformedDataException(Format, $"{tag}: unknown type '{HlsPlaylistParser.Clip(value)}'"),
                };
                break;
            case "#EXT-X-ENDLIST":
                _endList = true;
                break;
            default:
                // Unknown tags are ignored (RFC 8216 §4.1), and so are known ones we do not use.
                break;
        }
    }

    public void AddUri(string line)
    {
        if (_duration is not { } duration)
        {
            throw new MalformedDataException(Format, $"segment URI '{HlsPlaylistParser.Clip(line)}' has no EXTINF");
        }
        if (_segments.Count >= HlsLimits.MaxSegments)
        {
            throw new LimitExceededException(Format, "segment count", HlsLimits.MaxSegments, _segments.Count + 1);
        }
        var uri = HlsPlaylistParser.Resolve(playlist, line, "segment URI");
        HlsByteRange? range = null;
        if (_byteRange is var (length, offset))
        {
            // RFC 8216 §4.3.2.2: without an offset the range follows the previous segment's,
            // which must be a range of the same resource.
            var previous = _segments.Count > 0 ? _segments[^1] : null;
            if (offset is null && (previous?.ByteRange is null || previous.Uri != uri))
            {
                throw new MalformedDataException(Format, $"EXT-X-BYTERANGE without an offset for '{HlsPlaylistParser.Clip(line)}', which does not follow a range of the same resource");
            }
            var start = offset ?? previous!.ByteRange!.Value.End;
            if (start > HlsLimits.MaxInteger - length)
            {
                throw new LimitExceededException(Format, "byte range end", HlsLimits.MaxInteger, start);
            }
            range = new HlsByteRange(start, length);
        }
        if (_discontinuity)
        {
            _discontinuities++;
        }
        _segments.Add(new HlsSegment
        {
            Uri = uri,
            Duration = duration,
            Title = _title,
            ByteRange = range,
            MediaSequence = _mediaSequence + _segments.Count,
            DiscontinuitySequence = _discontinuitySequence + _discontinuities,
            Discontinuity = _discontinuity,
            ProgramDateTime = _programDateTime,
            Map = _map,
        });
        if (_mediaSequence + _segments.Count > HlsLimits.MaxInteger || _discontinuitySequence + _discontinuities > HlsLimits.MaxInteger)
        {
            throw new LimitExceededException(Format, "sequence number", HlsLimits.MaxInteger, _mediaSequence + _segments.Count);
        }
        _duration = null;
        _title = "";
        _byteRange = null;
        _discontinuity = false;
        _programDateTime = null;
        _sequenceTagsClosed = true;
    }

    public HlsMediaPlaylist Build(int version, bool independent)
    {
        if (_duration is not null)
        {
            throw new MalformedDataException(Format, "the last EXTINF has no URI line");
        }
        return new HlsMediaPlaylist
        {
            Uri = playlist,
            Version = version,
            IndependentSegments = independent,
            TargetDuration = _targetDuration,
            MediaSequence = _mediaSequence,
            DiscontinuitySequence = _discontinuitySequence,
            PlaylistType = _type,
            EndList = _endList,
            Segments = _segments,
        };
    }

    private void CheckBeforeSegments(string tag)
    {
        if (_sequenceTagsClosed)
        {
            throw new MalformedDataException(Format, $"{tag} after the first segment");
        }
    }

    /// <summary><c>#EXTINF:&lt;duration&gt;,[&lt;title&gt;]</c>; a missing comma (old encoders) is tolerated.</summary>
    private static (TimeSpan Duration, string Title) ParseExtinf(string value)
    {
        var comma = value.IndexOf(',');
        var number = (comma < 0 ? value : value[..comma]).Trim();
        var title = comma < 0 ? "" : value[(comma + 1)..];
        if (number.Length is 0 or > 32
            || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            throw new MalformedDataException(Format, $"EXTINF duration '{HlsPlaylistParser.Clip(number)}' is not a non-negative decimal number");
        }
        if (seconds > (decimal)HlsLimits.MaxSegmentDuration.TotalSeconds)
        {
            throw new LimitExceededException(Format, "EXTINF seconds", (long)HlsLimits.MaxSegmentDuration.TotalSeconds, (long)seconds);
        }
        var microseconds = (long)Math.Round(seconds * 1_000_000m, MidpointRounding.AwayFromZero);
        return (TimeSpan.FromTicks(microseconds * TimeSpan.TicksPerMicrosecond), title);
    }

    /// <summary><c>&lt;n&gt;[@&lt;o&gt;]</c>.</summary>
    private static (long Length, long? Offset) ParseByteRange(string value, string tag)
    {
        var at = value.IndexOf('@');
        var length = HlsPlaylistParser.ParseInteger(at < 0 ? value : value[..at], $"{tag} length");
        long? offset = at < 0 ? null : HlsPlaylistParser.ParseInteger(value[(at + 1)..], $"{tag} offset");
        if (length == 0)
        {
            throw new MalformedDataException(Format, $"{tag}: an empty byte range");
        }
        if (offset > HlsLimits.MaxInteger - length)
        {
            throw new LimitExceededException(Format, $"{tag} end", HlsLimits.MaxInteger, offset.Value);
        }
        return (length, offset);
    }
}
