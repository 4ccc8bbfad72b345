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

    /// <summary>Leaves restored at most: 16 Mi leaves (128 MiB of longs) is beyond any stream we hold.</summary>
    private const long MaxLeaves = 1 << 24;

    public static void Save(string folder, PeerId stream, long[] ascending)
    {
        var ranges = LeafRanges.Of(ascending, MaxRanges);
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
            if (DagCbor.Decode(File.ReadAllBytes(path)) is not IpldList list)
            {
                return [];
            }
            var ranges = ControlFields.Ranges(list, MaxRanges, null, "expired set");
            long total = 0;
            foreach (var range in ranges)
            {
                // Checked one range at a time, so the sum cannot overflow before it is refused.
                total += range.Count;
                if (total > MaxLeaves)
                {
                    return [];
                }
            }
            return ranges.SelectMany(r => Enumerable.Range(0, (int)r.Count).Select(i => r.Start + i)).ToArray();
        }
        catch (MalformedDataException)
        {
            return [];
        }
    }
}
