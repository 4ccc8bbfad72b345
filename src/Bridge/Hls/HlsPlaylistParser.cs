// Spec: https://www.rfc-editor.org/rfc/rfc8216#section-4 (Playlists)
using System.Globalization;
using System.Text;
using Overlay.Manifest.Errors;

namespace Overlay.Bridge.Hls;

/// <summary>
/// Parses master and media playlists as encoders and servers really write them: CRLF or LF,
/// a UTF-8 byte-order mark, blank lines, unknown tags and comments are tolerated; relative URIs
/// are resolved against the playlist's URI. Every size is bounded (<see cref="HlsLimits"/>).
/// Anything else wrong is a <see cref="MalformedDataException"/>; encrypted playlists are an
/// <see cref="HlsUnsupportedException"/>. Nothing else escapes.
/// </summary>
public static class HlsPlaylistParser
{
    /// <summary>The format name errors carry, for per-format metrics.</summary>
    public const string Format = "hls";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses playlist bytes (RFC 8216 §4.1: UTF-8).</summary>
    public static HlsPlaylist Parse(ReadOnlySpan<byte> bytes, Uri uri)
    {
        if (bytes.Length > HlsLimits.MaxPlaylistBytes)
        {
            throw new LimitExceededException(Format, "playlist size", HlsLimits.MaxPlaylistBytes, bytes.Length);
        }
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new MalformedDataException(Format, "the playlist is not UTF-8", e);
        }
        return Parse(text, uri);
    }

    /// <summary>Parses playlist text; <paramref name="uri"/> is the absolute URI it came from.</summary>
    public static HlsPlaylist Parse(string text, Uri uri)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("the playlist URI must be absolute", nameof(uri));
        }
        if (text.Length > HlsLimits.MaxPlaylistBytes)
        {
            throw new LimitExceededException(Format, "playlist size", HlsLimits.MaxPlaylistBytes, text.Length);
        }
        var lines = Lines(text);
        using var line = lines.GetEnumerator();
        if (!line.MoveNext() || line.Current != "#EXTM3U")
        {
            throw new MalformedDataException(Format, "the playlist does not start with #EXTM3U");
        }
        var media = new HlsMediaParser(uri);
        var master = new HlsMasterParser(uri);
        var version = 1;
        var independent = false;
        while (line.MoveNext())
        {
            var current = line.Current;
            if (current.Length == 0)
            {
                continue;
            }
            if (!current.StartsWith('#'))
            {
                if (master.ExpectsUri)
                {
                    master.AddUri(current);
                }
                else
                {
                    media.AddUri(current);
                }
                continue;
            }
            if (!current.StartsWith("#EXT", StringComparison.Ordinal))
            {
                continue;
            }
            var colon = current.IndexOf(':');
            var tag = colon < 0 ? current : current[..colon];
            var value = colon < 0 ? "" : current[(colon + 1)..];
            switch (tag)
            {
                case "#EXT-X-VERSION":
                    version = (int)Math.Min(ParseInteger(value, tag), int.MaxValue);
                    break;
                case "#EXT-X-INDEPENDENT-SEGMENTS":
                    independent = true;
                    break;
                case "#EXT-X-STREAM-INF":
                case "#EXT-X-MEDIA":
                case "#EXT-X-SESSION-KEY":
                    master.AddTag(tag, value);
                    break;
                default:
                    media.AddTag(tag, value);
                    break;
            }
            if (master.ExpectsUri && media.HasPendingSegment)
            {
                throw new MalformedDataException(Format, "EXT-X-STREAM-INF inside a segment's tags");
            }
        }
        if (master.IsMaster && media.IsMedia)
        {
            throw new MalformedDataException(Format, "the playlist mixes master tags (EXT-X-STREAM-INF, EXT-X-MEDIA) with media segments");
        }
        return master.IsMaster
            ? master.Build(version, independent)
            : media.Build(version, independent);
    }

    /// <summary>A decimal-integer (RFC 8216 §4.2) up to 2^53 − 1.</summary>
    internal static long ParseInteger(string text, string what)
    {
        if (text.Length is 0 or > 16 || !text.All(char.IsAsciiDigit))
        {
            throw new MalformedDataException(Format, $"{what}: '{Clip(text)}' is not a decimal integer of at most 16 digits");
        }
        var value = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        if (value > HlsLimits.MaxInteger)
        {
            throw new LimitExceededException(Format, what, HlsLimits.MaxInteger, value);
        }
        return value;
    }

    /// <summary>Resolves a URI as written in the playlist against the playlist's own URI.</summary>
    internal static Uri Resolve(Uri playlist, string reference, string what)
    {
        if (reference.Length == 0 || !Uri.TryCreate(playlist, reference, out var resolved))
        {
            throw new MalformedDataException(Format, $"{what}: '{Clip(reference)}' is not a URI");
        }
        return resolved;
    }

    internal static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private static IEnumerable<string> Lines(string text)
    {
        var at = 0;
        while (at < text.Length)
        {
            var end = text.IndexOf('\n', at);
            if (end < 0)
            {
                end = text.Length;
            }
            var length = end - at;
            if (length > 0 && text[end - 1] == '\r')
            {
                length--;
            }
            if (length > HlsLimits.MaxLineLength)
            {
                throw new LimitExceededException(Format, "line length", HlsLimits.MaxLineLength, length);
            }
            // Trailing spaces are an editor's, never part of a tag or URI.
            yield return text.Substring(at, length).TrimEnd(' ', '\t');
            at = end + 1;
        }
    }
}
