// Spec: specs/sync.md §2.3 (push order).
using Overlay.Manifest.Streams;
using Overlay.Streams.Retention;

namespace Overlay.Streams.Sync;

/// <summary>
/// The order bundles are pushed in: class first (live, then near_live, then vod); within live and
/// near_live the newest (latest <c>created</c>) first, as a viewer wants the live edge; within vod
/// the soonest <c>expires</c> first, so what would die first travels first; then <c>seq</c>
/// ascending (playback order), then the stream key's bytes.
/// </summary>
internal sealed class PushOrder : IComparer<BundleFacts>
{
    public static readonly PushOrder Instance = new();

    public static int Rank(PriorityClass priority) => priority switch
    {
        PriorityClass.Live => 0,
        PriorityClass.NearLive => 1,
        _ => 2,
    };

    public int Compare(BundleFacts? x, BundleFacts? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var byClass = Rank(x.Class).CompareTo(Rank(y.Class));
        if (byClass != 0)
        {
            return byClass;
        }
        var byTime = x.Class == PriorityClass.Vod ? x.Expires.CompareTo(y.Expires) : y.Created.CompareTo(x.Created);
        if (byTime != 0)
        {
            return byTime;
        }
        var bySeq = x.Seq.CompareTo(y.Seq);
        return bySeq != 0 ? bySeq : x.Bundle.Bytes.SequenceCompareTo(y.Bundle.Bytes);
    }
}
