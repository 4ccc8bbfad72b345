using Overlay.Manifest.Streams;

namespace Overlay.Streams;

/// <summary>Held or expired leaves as the ranges HAVE, sync summaries and the expired-set file carry.</summary>
internal static class LeafRanges
{
    /// <summary>The first <paramref name="max"/> runs of consecutive leaves in <paramref name="ascending"/>, as [start, end) ranges.</summary>
    public static List<LeafRange> Of(IEnumerable<long> ascending, int max)
    {
        var ranges = new List<LeafRange>();
        foreach (var seq in ascending)
        {
            if (ranges.Count > 0 && ranges[^1].End == seq)
            {
                ranges[^1] = ranges[^1] with { End = seq + 1 };
            }
            else if (ranges.Count < max)
            {
                ranges.Add(new LeafRange(seq, seq + 1));
            }
            else
            {
                break;
            }
        }
        return ranges;
    }
}
