// Spec: specs/sync.md §2 (messages) and §3 (limits).
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;

namespace Overlay.Streams.Sync;

/// <summary>
/// dag-cbor encoding of the sync messages: every message is a map with <c>v</c> (1) and <c>t</c>
/// plus exactly its kind's keys. Decoding checks the size before parsing and refuses other
/// versions, kinds, missing or extra keys, and counts past the limits, with
/// <see cref="MalformedDataException"/> (or its <see cref="LimitExceededException"/>) only.
/// </summary>
public static class SyncCodec
{
    public const string Format = "sync message";

    public const int Version = 1;

    public static byte[] EncodeSummary(SyncSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.Streams.Count > SyncLimits.MaxSummaryEntries)
        {
            throw new ArgumentException($"a summary lists at most {SyncLimits.MaxSummaryEntries} streams", nameof(summary));
        }
        var entries = summary.Streams.Select(e =>
        {
            if (e.Held.Count > SyncLimits.MaxRangesPerEntry)
            {
                throw new ArgumentException($"a summary entry lists at most {SyncLimits.MaxRangesPerEntry} ranges", nameof(summary));
            }
            return (IpldNode)IpldMap.Of(
                ("have", new IpldList(e.Held.Select(r => (IpldNode)new IpldList(new IpldInteger(r.Start), new IpldInteger(r.End))))),
                ("head", new IpldBytes(e.Head)));
        });
        return Encode(Envelope("summary", ("carry", summary.Carry ? IpldBoolean.True : IpldBoolean.False), ("streams", new IpldList(entries))), SyncLimits.MaxSummaryBytes);
    }

    /// <exception cref="LimitExceededException">Over <see cref="SyncLimits.MaxSummaryBytes"/>, or too many entries or ranges.</exception>
    /// <exception cref="MalformedDataException">Anything else wrong with the shape.</exception>
    public static SyncSummary DecodeSummary(ReadOnlySpan<byte> bytes)
    {
        var map = Open(bytes, SyncLimits.MaxSummaryBytes, "summary", 4);
        var carry = map.TryGetValue("carry", out var c) && c is IpldBoolean flag ? flag.Value : throw new MalformedDataException(Format, "carry is missing or not a bool");
        if (!map.TryGetValue("streams", out var node) || node is not IpldList list)
        {
            throw new MalformedDataException(Format, "streams is missing or not a list");
        }
        if (list.Count > SyncLimits.MaxSummaryEntries)
        {
            throw new LimitExceededException(Format, "summary entries", SyncLimits.MaxSummaryEntries, list.Count);
        }
        var streams = new List<SyncSummaryEntry>(list.Count);
        foreach (var item in list.Items)
        {
            if (item is not IpldMap { Count: 2 } entry || !entry.TryGetValue("head", out var h) || h is not IpldBytes head
                || !entry.TryGetValue("have", out var r) || r is not IpldList ranges)
            {
                throw new MalformedDataException(Format, "a summary entry is not a map of exactly head (bytes) and have (list)");
            }
            if (head.Value.Length > StreamLimits.MaxHeadBytes)
            {
                throw new LimitExceededException(Format, "head size", StreamLimits.MaxHeadBytes, head.Value.Length);
            }
            streams.Add(new SyncSummaryEntry(head.Value, ControlFields.Ranges(ranges, SyncLimits.MaxRangesPerEntry, null, Format)));
        }
        return new SyncSummary(streams, carry);
    }

    public static byte[] EncodeFrame(SyncFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var map = frame.Kind switch
        {
            SyncFrameKind.Head => Envelope("head", ("data", new IpldBytes(frame.Data))),
            SyncFrameKind.Block => Envelope("block", ("data", new IpldBytes(frame.Data))),
            SyncFrameKind.Bundle => Envelope("bundle",
                ("seq", new IpldInteger(frame.Seq)),
                ("stream", new IpldBytes((frame.Stream ?? throw new ArgumentException("a bundle frame names its stream", nameof(frame))).Bytes.ToArray()))),
            SyncFrameKind.End => Envelope("end"),
            _ => throw new ArgumentException($"unknown frame kind {frame.Kind}", nameof(frame)),
        };
        return Encode(map, SyncLimits.MaxFrameBytes);
    }

    /// <exception cref="LimitExceededException">Over <see cref="SyncLimits.MaxFrameBytes"/>, or a head or block past its own cap.</exception>
    /// <exception cref="MalformedDataException">Anything else wrong with the shape.</exception>
    public static SyncFrame DecodeFrame(ReadOnlySpan<byte> bytes)
    {
        var (map, kind) = ControlFields.Open(bytes, SyncLimits.MaxFrameBytes, Version, Format);
        switch (kind)
        {
            case "head" when map.Count == 3:
                return new SyncFrame { Kind = SyncFrameKind.Head, Data = Bytes(map, "data", StreamLimits.MaxHeadBytes) };
            case "block" when map.Count == 3:
                return new SyncFrame { Kind = SyncFrameKind.Block, Data = Bytes(map, "data", SyncLimits.MaxBlockBytes) };
            case "bundle" when map.Count == 4:
                var stream = PeerId.Decode(Bytes(map, "stream", 64).Span);
                return new SyncFrame { Kind = SyncFrameKind.Bundle, Stream = stream, Seq = Integer(map, "seq") };
            case "end" when map.Count == 2:
                return new SyncFrame { Kind = SyncFrameKind.End };
            case "head" or "block" or "bundle" or "end":
                throw new MalformedDataException(Format, $"a {kind} frame has unknown or missing keys");
            default:
                throw new MalformedDataException(Format, $"unknown frame type \"{kind}\"");
        }
    }

    private static IpldMap Envelope(string type, params (string Key, IpldNode Value)[] fields) =>
        IpldMap.Of([("v", new IpldInteger(Version)), ("t", new IpldString(type)), .. fields]);

    private static byte[] Encode(IpldMap map, int limit)
    {
        var bytes = DagCbor.Encode(map);
        if (bytes.Length > limit)
        {
            throw new ArgumentException($"message of {bytes.Length} bytes exceeds {limit}");
        }
        return bytes;
    }

    /// <summary>The shared envelope (<see cref="ControlFields.Open"/>); with <paramref name="type"/>, exactly that type with <paramref name="count"/> keys.</summary>
    private static IpldMap Open(ReadOnlySpan<byte> bytes, int limit, string? type, int count)
    {
        var (map, kind) = ControlFields.Open(bytes, limit, Version, Format);
        if (type is not null && (kind != type || map.Count != count))
        {
            throw new MalformedDataException(Format, $"expected a {type} message with {count} keys, got \"{kind}\" with {map.Count}");
        }
        return map;
    }

    private static ReadOnlyMemory<byte> Bytes(IpldMap map, string key, int limit)
    {
        if (!map.TryGetValue(key, out var node) || node is not IpldBytes bytes)
        {
            throw new MalformedDataException(Format, $"{key} is missing or not bytes");
        }
        if (bytes.Value.Length > limit)
        {
            throw new LimitExceededException(Format, key, limit, bytes.Value.Length);
        }
        return bytes.Value;
    }

    private static long Integer(IpldMap map, string key) => ControlFields.Integer(map, key, Format);
}
