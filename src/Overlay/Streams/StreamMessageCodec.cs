// Spec: specs/stream-protocol.md §3 (control messages) and §4 (limits).
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Streams;

namespace Overlay.Streams;

/// <summary>
/// dag-cbor encoding of the stream topic's control messages: a map with <c>v</c> (1) and
/// <c>t</c> ("head", "have", "request") plus that kind's fields. Decoding bounds the message
/// before parsing and refuses unknown versions, kinds and extra keys.
/// </summary>
public static class StreamMessageCodec
{
    public const string Format = "stream message";

    public const int Version = 1;

    /// <summary>Largest message: a head block plus a few bytes of envelope.</summary>
    public const int MaxMessageBytes = StreamLimits.MaxHeadBytes + 64;

    /// <summary>Most ranges one HAVE lists; a holder with more gaps lists the first ones.</summary>
    public const int MaxRanges = 64;

    public static byte[] Encode(StreamMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var entries = new List<(string, IpldNode)> { ("v", new IpldInteger(Version)) };
        switch (message.Kind)
        {
            case StreamMessageKind.Head:
                entries.Add(("t", new IpldString("head")));
                entries.Add(("head", new IpldBytes(message.Head)));
                break;
            case StreamMessageKind.Have:
                if (message.Ranges.Count > MaxRanges)
                {
                    throw new ArgumentException($"a HAVE lists at most {MaxRanges} ranges", nameof(message));
                }
                entries.Add(("t", new IpldString("have")));
                entries.Add(("size", new IpldInteger(message.HeadSize)));
                entries.Add(("ranges", new IpldList(message.Ranges.Select(r => (IpldNode)new IpldList(new IpldInteger(r.Start), new IpldInteger(r.End))))));
                break;
            case StreamMessageKind.Request:
                entries.Add(("t", new IpldString("request")));
                break;
            default:
                throw new ArgumentException($"unknown message kind {message.Kind}", nameof(message));
        }
        var bytes = DagCbor.Encode(IpldMap.Of([.. entries]));
        if (bytes.Length > MaxMessageBytes)
        {
            throw new ArgumentException($"message of {bytes.Length} bytes exceeds {MaxMessageBytes}", nameof(message));
        }
        return bytes;
    }

    /// <exception cref="LimitExceededException">Over <see cref="MaxMessageBytes"/> or <see cref="MaxRanges"/>.</exception>
    /// <exception cref="MalformedDataException">Anything else wrong with the shape.</exception>
    public static StreamMessage Decode(ReadOnlySpan<byte> bytes)
    {
        var (map, kind) = ControlFields.Open(bytes, MaxMessageBytes, Version, Format);
        return kind switch
        {
            "head" when map.Count == 3 => new StreamMessage
            {
                Kind = StreamMessageKind.Head,
                Head = map.TryGetValue("head", out var h) && h is IpldBytes b ? b.Value : throw new MalformedDataException(Format, "head is missing or not bytes"),
            },
            "have" when map.Count == 4 => DecodeHave(map),
            "request" when map.Count == 2 => new StreamMessage { Kind = StreamMessageKind.Request },
            "head" or "have" or "request" => throw new MalformedDataException(Format, $"a {kind} message has unknown or missing keys"),
            _ => throw new MalformedDataException(Format, $"unknown message type \"{kind}\""),
        };
    }

    private static StreamMessage DecodeHave(IpldMap map)
    {
        var size = Integer(map, "size");
        if (!map.TryGetValue("ranges", out var node) || node is not IpldList list)
        {
            throw new MalformedDataException(Format, "ranges is missing or not a list");
        }
        var ranges = ControlFields.Ranges(list, MaxRanges, size, Format);
        return new StreamMessage { Kind = StreamMessageKind.Have, HeadSize = size, Ranges = ranges };
    }

    private static long Integer(IpldMap map, string key) => ControlFields.Integer(map, key, Format);
}
