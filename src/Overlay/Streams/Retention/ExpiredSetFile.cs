// Spec: specs/sync.md §6 (what survives a restart: expired leaves).
using Overlay.Blocks;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;

namespace Overlay.Streams.Retention;

/// <summary>
/// <c>&lt;repo&gt;/streams/&lt;k51&gt;.expired</c>: the leaves of a stream known to have expired
/// (reaped, or refused as expired after every other check), as a dag-cbor list of
/// <c>[start, end]</c> pairs, ascending, at most <see cref="MaxRanges"/>; replaced durably. Read back
/// as hostile: a file that breaks the format is ignored (the leaves are looked for again).
/// </summary>
internal static class ExpiredSetFile
{
    public const string Suffix = ".expired";

    /// <summary>Enough for any real gap pattern; past it the later leaves are simply not remembered.</summary>
    public const int MaxRanges = 4096;

    private const int MaxFileBytes = MaxRanges * 20 + 8;

    public static void Save(string folder, PeerId stream, long[] ascending)
    {
        var ranges = new List<LeafRange>();
        foreach (var seq in ascending)
        {
            if (ranges.Count > 0 && ranges[^1].End == seq)
            {
                ranges[^1] = ranges[^1] with { End = seq + 1 };
            }
            else if (ranges.Count < MaxRanges)
            {
                ranges.Add(new LeafRange(seq, seq + 1));
            }
        }
        var bytes = DagCbor.Encode(new IpldList(ranges.Select(r => (IpldNode)new IpldList(new IpldInteger(r.Start), new IpldInteger(r.End)))));
        Directory.CreateDirectory(folder);
        DurableFile.Write(folder, stream.ToBase36Name() + Suffix, bytes);
    }

    /// <summary>The saved leaves, or none when there is no file or it is not well-formed.</summary>
    public static long[] Load(string folder, PeerId stream)
    {
        var path = Path.Combine(folder, stream.ToBase36Name() + Suffix);
        if (!File.Exists(path) || new FileInfo(path).Length > MaxFileBytes)
        {
            return [];
        }
        try
        {
            if (DagCbor.Decode(File.ReadAllBytes(path)) is not IpldList { Count: <= MaxRanges } list)
            {
                return [];
            }
            var leaves = new List<long>();
            var last = 0L;
            foreach (var item in list.Items)
            {
                if (item is not IpldList { Count: 2 } pair || pair.Items[0] is not IpldInteger a || pair.Items[1] is not IpldInteger z
                    || a.Value < last || z.Value <= a.Value || z.Value > StreamLimits.MaxSafeInteger || leaves.Count + (long)(z.Value - a.Value) > 1 << 24)
                {
                    return [];
                }
                for (var seq = (long)a.Value; seq < (long)z.Value; seq++)
                {
                    leaves.Add(seq);
                }
                last = (long)z.Value;
            }
            return [.. leaves];
        }
        catch (MalformedDataException)
        {
            return [];
        }
    }
}
