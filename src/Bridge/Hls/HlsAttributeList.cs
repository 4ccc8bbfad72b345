// Spec: https://www.rfc-editor.org/rfc/rfc8216#section-4.2 (attribute lists)
using System.Globalization;
using Overlay.Manifest.Errors;

namespace Overlay.Bridge.Hls;

/// <summary>
/// A parsed <c>NAME=value,NAME="quoted, with commas"</c> list. Quoted values keep their commas;
/// a repeated name keeps its first value (RFC 8216 §4.2 says clients should refuse such a list,
/// real encoders occasionally write one, and the first value is what most players use).
/// </summary>
internal sealed class HlsAttributeList
{
    private readonly Dictionary<string, (string Value, bool Quoted)> _values = new(StringComparer.Ordinal);

    private HlsAttributeList() { }

    public static HlsAttributeList Parse(string text, string tag)
    {
        var list = new HlsAttributeList();
        var at = 0;
        while (at < text.Length)
        {
            while (at < text.Length && text[at] is ' ' or '\t')
            {
                at++;
            }
            if (at == text.Length)
            {
                break;
            }
            var equals = text.IndexOf('=', at);
            if (equals < 0)
            {
                throw Malformed(tag, $"attribute '{text[at..]}' has no value");
            }
            var name = text[at..equals].Trim();
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                throw Malformed(tag, $"bad attribute name '{name}'");
            }
            at = equals + 1;
            string value;
            bool quoted;
            if (at < text.Length && text[at] == '"')
            {
                var close = text.IndexOf('"', at + 1);
                if (close < 0)
                {
                    throw Malformed(tag, $"attribute {name} has an unterminated quoted string");
                }
                value = text[(at + 1)..close];
                quoted = true;
                at = close + 1;
                while (at < text.Length && text[at] is ' ' or '\t')
                {
                    at++;
                }
                if (at < text.Length && text[at] != ',')
                {
                    throw Malformed(tag, $"unexpected text after the quoted value of {name}");
                }
            }
            else
            {
                var comma = text.IndexOf(',', at);
                var end = comma < 0 ? text.Length : comma;
                value = text[at..end].Trim();
                quoted = false;
                at = end;
            }
            at++;
            if (list._values.Count >= HlsLimits.MaxAttributes)
            {
                throw new LimitExceededException(HlsPlaylistParser.Format, $"{tag} attribute count", HlsLimits.MaxAttributes, list._values.Count + 1);
            }
            list._values.TryAdd(name.ToUpperInvariant(), (value, quoted));
        }
        return list;
    }

    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>The value, quoted or not, or null when absent.</summary>
    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v.Value : null;

    public string Required(string name, string tag) =>
        Get(name) ?? throw Malformed(tag, $"the required attribute {name} is missing");

    public long? Integer(string name, string tag) =>
        Get(name) is { } text ? HlsPlaylistParser.ParseInteger(text, $"{tag} {name}") : null;

    public decimal? Decimal(string name, string tag)
    {
        if (Get(name) is not { } text)
        {
            return null;
        }
        if (text.Length > 32 || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw Malformed(tag, $"{name} '{text}' is not a decimal number");
        }
        return value;
    }

    /// <summary>A <c>YES</c>/<c>NO</c> enumerated value; absent is false.</summary>
    public bool YesNo(string name) => string.Equals(Get(name), "YES", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>RESOLUTION=WxH</c>, (0, 0) when absent.</summary>
    public (int Width, int Height) Resolution(string tag)
    {
        if (Get("RESOLUTION") is not { } text)
        {
            return (0, 0);
        }
        var x = text.IndexOfAny(['x', 'X']);
        if (x <= 0
            || !int.TryParse(text.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(text.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            || width is < 1 or > ushort.MaxValue || height is < 1 or > ushort.MaxValue)
        {
            throw Malformed(tag, $"RESOLUTION '{text}' is not WIDTHxHEIGHT within 1..65535");
        }
        return (width, height);
    }

    private static MalformedDataException Malformed(string tag, string message) =>
        new(HlsPlaylistParser.Format, $"{tag}: {message}");
}
