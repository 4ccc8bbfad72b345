// Spec: https://ipld.io/specs/codecs/dag-json/spec/ (reserved namespace, numbers, bytes, links)
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Codecs.DagJson;

/// <summary>
/// Builds the data model from JSON tokens (System.Text.Json's <see cref="Utf8JsonReader"/>
/// does the tokenizing and grammar). On top of JSON it enforces: no duplicate keys, the
/// reserved "/" namespace (a link or bytes form must be exactly that, with a canonical CID or
/// unpadded standard base64), integers within -2^64..2^64-1, finite floats, and the limits.
/// Key order and whitespace are not enforced, as the spec asks of decoders.
/// </summary>
internal static class DagJsonReader
{
    private const string Format = "dag-json";
    private const string Slash = "/";
    private const string BytesKey = "bytes";

    public static IpldNode Read(ReadOnlySpan<byte> utf8, DagJsonLimits limits)
    {
        if (!Utf8.IsValid(utf8))
        {
            throw new MalformedDataException(Format, "input is not valid UTF-8");
        }
        // Wrapper objects of links and bytes sit up to two JSON levels below a data-model
        // collection, so the tokenizer may go that much deeper than the data-model limit.
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = Math.Min(limits.MaxDepth, int.MaxValue - 3) + 3 });
        try
        {
            Next(ref reader);
            var node = ReadValue(ref reader, 0, limits);
            if (reader.Read())
            {
                throw new MalformedDataException(Format, "data after the top-level value");
            }
            return node;
        }
        catch (JsonException e)
        {
            throw new MalformedDataException(Format, e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader.GetString throws this for escapes that are not valid UTF-16 (lone surrogates).
            throw new MalformedDataException(Format, e.Message, e);
        }
    }

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new MalformedDataException(Format, "unexpected end of data");
        }
    }

    /// <param name="depth">Enclosing JSON containers; all of them are data-model collections,
    /// because link and bytes wrappers hold only strings.</param>
    private static IpldNode ReadValue(ref Utf8JsonReader reader, int depth, DagJsonLimits limits, bool isReservedValue = false)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return IpldNull.Instance;
            case JsonTokenType.True:
                return IpldBoolean.True;
            case JsonTokenType.False:
                return IpldBoolean.False;
            case JsonTokenType.Number:
                return ReadNumber(reader.ValueSpan);
            case JsonTokenType.String:
                return new IpldString(ReadString(ref reader, limits));
            case JsonTokenType.StartArray:
                return ReadList(ref reader, depth, limits);
            case JsonTokenType.StartObject:
                return ReadMap(ref reader, depth, limits, isReservedValue);
            default:
                throw new MalformedDataException(Format, $"unexpected {reader.TokenType}");
        }
    }

    private static IpldList ReadList(ref Utf8JsonReader reader, int depth, DagJsonLimits limits)
    {
        CheckDepth(depth + 1, 0, limits.MaxDepth);
        var items = new List<IpldNode>();
        for (Next(ref reader); reader.TokenType != JsonTokenType.EndArray; Next(ref reader))
        {
            CheckCount(items.Count + 1, limits, "list items");
            items.Add(ReadValue(ref reader, depth + 1, limits));
        }
        return new IpldList(items);
    }

    private static IpldNode ReadMap(ref Utf8JsonReader reader, int depth, DagJsonLimits limits, bool isReservedValue)
    {
        // A link or bytes wrapper may sit here even when a real map may not.
        CheckDepth(depth + 1, 2, limits.MaxDepth);
        var entries = new List<KeyValuePair<string, IpldNode>>();
        for (Next(ref reader); reader.TokenType != JsonTokenType.EndObject; Next(ref reader))
        {
            CheckCount(entries.Count + 1, limits, "map entries");
            var key = ReadString(ref reader, limits);
            Next(ref reader);
            entries.Add(new(key, ReadValue(ref reader, depth + 1, limits, isReservedValue: entries.Count == 0 && key == Slash)));
        }
        IpldMap map;
        try
        {
            map = new IpldMap(entries);
        }
        catch (ArgumentException)
        {
            var duplicate = entries.GroupBy(e => e.Key, StringComparer.Ordinal).First(g => g.Count() > 1).Key;
            throw new MalformedDataException(Format, $"duplicate map key \"{duplicate}\"");
        }
        // The spec's rules look at the first key as written, like a tokenizing decoder does.
        if (entries.Count > 0 && entries[0].Key == Slash)
        {
            var reserved = entries[0].Value;
            if (reserved is IpldString cid)
            {
                return entries.Count == 1
                    ? new IpldLink(ParseCid(cid.Value))
                    : throw new MalformedDataException(Format, "a map whose first key is \"/\" with a string value must be a link alone");
            }
            if (reserved is IpldMap inner && IsBytesInner(inner))
            {
                return entries.Count == 1 && inner.Count == 1
                    ? new IpldBytes(ParseBase64(inner.Entries[0].Value.AsString()))
                    : throw new MalformedDataException(Format, "a {\"/\":{\"bytes\":…}} form must have no other keys");
            }
        }
        // The inner map of a bytes form is a leaf, not a collection; any other use of it makes
        // the enclosing map invalid, so exempting it here cannot let a deep document through.
        if (!(isReservedValue && IsBytesInner(map)))
        {
            CheckDepth(depth + 1, 0, limits.MaxDepth);
        }
        return map;
    }

    private static bool IsBytesInner(IpldMap map) =>
        map.Count > 0 && map.Entries[0].Key == BytesKey && map.Entries[0].Value is IpldString;

    private static string ReadString(ref Utf8JsonReader reader, DagJsonLimits limits)
    {
        var raw = reader.ValueSpan.Length;
        var value = reader.GetString()!;
        if (raw > limits.MaxStringLength)
        {
            var length = reader.ValueIsEscaped ? Encoding.UTF8.GetByteCount(value) : raw;
            if (length > limits.MaxStringLength)
            {
                throw new LimitExceededException(Format, "string length", limits.MaxStringLength, length);
            }
        }
        return value;
    }

    private static IpldNode ReadNumber(ReadOnlySpan<byte> text)
    {
        var isInteger = text.IndexOfAny(".eE"u8) < 0;
        if (isInteger)
        {
            // 21 characters hold "-18446744073709551616"; anything longer is out of range.
            if (text.Length > 21 || !Int128.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                || integer < IpldInteger.MinValue || integer > IpldInteger.MaxValue)
            {
                throw new MalformedDataException(Format, "integer outside -2^64 .. 2^64-1");
            }
            return new IpldInteger(integer);
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            throw new MalformedDataException(Format, "float out of the 64-bit range");
        }
        return new IpldFloat(number);
    }

    private static Cid ParseCid(string text)
    {
        if (!Cid.TryParse(text, out var cid) || cid!.ToString() != text)
        {
            throw new MalformedDataException(Format, $"\"{text}\" is not a CIDv0 in base58btc or a CIDv1 in base32");
        }
        return cid;
    }

    private static byte[] ParseBase64(string text)
    {
        // Decode leniently, then require the input to be exactly the canonical unpadded form:
        // that rejects padding, whitespace, the URL alphabet and non-zero trailing bits at once.
        var padded = (text.Length % 4) switch
        {
            2 => text + "==",
            3 => text + "=",
            _ => text,
        };
        var buffer = new byte[padded.Length / 4 * 3];
        if (text.Length % 4 == 1 || !Convert.TryFromBase64String(padded, buffer, out var written)
            || Convert.ToBase64String(buffer, 0, written).TrimEnd('=') != text)
        {
            throw new MalformedDataException(Format, "bytes are not unpadded standard base64");
        }
        return buffer.AsSpan(0, written).ToArray();
    }

    private static void CheckDepth(int depth, int allowance, int max)
    {
        if (depth - allowance > max)
        {
            throw new LimitExceededException(Format, "nesting depth", max, depth);
        }
    }

    private static void CheckCount(int count, DagJsonLimits limits, string what)
    {
        if (count > limits.MaxCollectionLength)
        {
            throw new LimitExceededException(Format, what, limits.MaxCollectionLength, count);
        }
    }
}
