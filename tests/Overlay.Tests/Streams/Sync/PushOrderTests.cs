using Overlay.Manifest.Multiformats;
using Overlay.Manifest.Streams;
using Overlay.Streams.Retention;
using Overlay.Streams.Sync;

namespace Overlay.Tests.Streams.Sync;

/// <summary>specs/sync.md §2.3: live first (newest first), then near_live (newest first), then vod (soonest expiry first), then seq.</summary>
public sealed class PushOrderTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    private static BundleFacts Facts(long seq, PriorityClass priority, int createdMinutes, int lifetimeMinutes) =>
        new(Cid.Compute(Multicodec.DagCbor, BitConverter.GetBytes(seq)), seq, priority, T.AddMinutes(createdMinutes), T.AddMinutes(createdMinutes + lifetimeMinutes), Cid.Compute(Multicodec.Raw, [1]), 1);

    [Fact]
    public void Bundles_are_pushed_by_class_then_by_the_class_rule_then_by_seq()
    {
        var vodLate = Facts(0, PriorityClass.Vod, 0, 600);
        var vodSoon = Facts(1, PriorityClass.Vod, 0, 60);
        var liveOld = Facts(2, PriorityClass.Live, 0, 30);
        var liveNew = Facts(3, PriorityClass.Live, 5, 30);
        var nearOld = Facts(4, PriorityClass.NearLive, 0, 360);
        var nearNew = Facts(5, PriorityClass.NearLive, 1, 360);
        var vodSoonSibling = Facts(6, PriorityClass.Vod, 0, 60);
        var ordered = new[] { vodLate, vodSoonSibling, nearOld, liveOld, vodSoon, nearNew, liveNew }.Order(PushOrder.Instance).Select(f => f.Seq);
        Assert.Equal([3L, 2, 5, 4, 1, 6, 0], ordered);
    }
}
