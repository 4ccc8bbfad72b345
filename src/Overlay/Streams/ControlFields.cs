using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Streams;

namespace Overlay.Streams;

/// <summary>Field readers shared by the stream topic's and the sync protocol's dag-cbor messages; bad input is a <see cref="MalformedDataException"/>.</summary>
internal static class ControlFields
{
    /// <summary>
    /// The envelope every control message shares: at most <paramref name="limit"/> bytes (checked
    /// before parsing), strict dag-cbor, a map with <c>v</c> = <paramref name="version"/> and a string <c>t</c>.
    /// </summary>
    public static (IpldMap Map, string Type) Open(ReadOnlySpan<byte> bytes, int limit, int version, string format)
    {
        if (bytes.Length > limit)
        {
            throw new LimitExceededException(format, "message size", limit, bytes.Length);
        }
        if (DagCbor.Decode(bytes) is not IpldMap map)
        {
            throw new MalformedDataException(format, "not a map");
        }
        if (Integer(map, "v", format) != version)
        {
            throw new MalformedDataException(format, $"version is not {version}");
        }
        var type = map.TryGetValue("t", out var t) && t is IpldString s ? s.Value : throw new MalformedDataException(format, "t is missing or not a string");
        return (map, type);
    }

    /// <summary>A uint (bundle.md §1: 0 … 2^53 − 1).</summary>
    public static long Integer(IpldMap map, string key, string format) =>
        map.TryGetValue(key, out var node) && node is IpldInteger i && i.Value >= 0 && i.Value <= StreamLimits.MaxSafeInteger
            ? (long)i.Value
            : throw new MalformedDataException(format, $"{key} is missing or not an integer in 0..2^53-1");

    /// <summary>At most <paramref name="max"/> <c>[start, end]</c> pairs, ascending, disjoint, non-empty, and within <paramref name="size"/> when given.</summary>
    public static List<LeafRange> Ranges(IpldList list, int max, long? size, string format)
    {
        if (list.Count > max)
        {
            throw new LimitExceededException(format, "ranges", max, list.Count);
        }
        var limit = size ?? StreamLimits.MaxSafeInteger;
        var ranges = new List<LeafRange>(list.Count);
        var last = 0L;
        foreach (var item in list.Items)
        {
            if (item is not IpldList { Count: 2 } pair || pair.Items[0] is not IpldInteger a || pair.Items[1] is not IpldInteger z)
            {
                throw new MalformedDataException(format, "a range is not a list of two integers");
            }
            if (a.Value < last || z.Value <= a.Value || z.Value > limit)
            {
                throw new MalformedDataException(format, "ranges must be ascending, disjoint, non-empty and inside the head's size");
            }
            ranges.Add(new LeafRange((long)a.Value, (long)z.Value));
            last = (long)z.Value;
        }
        return ranges;
    }
}
