// Spec: specs/sync.md §4 (which streams a node takes from a sync peer).
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.PubSub;
using Overlay.Streams.Retention;

namespace Overlay.Streams;

public sealed partial class StreamService
{
    /// <summary>Facts of held bundles, shared by sync, the reaper and the stream retention.</summary>
    internal BundleFactsCache Facts { get; } = new();

    /// <summary>Every known stream's follower.</summary>
    internal IReadOnlyList<StreamFollower> Followers()
    {
        lock (_gate)
        {
            return [.. _streams.Values];
        }
    }

    /// <summary>Saves the leaves <paramref name="follower"/> knows expired, so a restart does not look for them again.</summary>
    internal void SaveExpired(StreamFollower follower) =>
        ExpiredSetFile.Save(State.Folder, follower.Stream, follower.ExpiredLeaves());

    internal StreamFollower? Find(PeerId stream)
    {
        lock (_gate)
        {
            return _streams.GetValueOrDefault(stream);
        }
    }

    /// <summary>
    /// A verified head pushed by a sync peer: offered to the stream's follower when the stream is
    /// known (the follower's succession rules decide), else the stream is taken as carried when
    /// <paramref name="carryNew"/> and fewer than <paramref name="maxCarried"/> streams are carried.
    /// Null when the stream is not taken.
    /// </summary>
    internal StreamFollower? TakeFromSync(SignedTreeHead head, PeerId source, bool carryNew, int maxCarried)
    {
        var stream = head.Head.Stream;
        if (Find(stream) is { } known)
        {
            if (known.Offer(head, source) == ValidationResult.Reject)
            {
                StreamLog.Problem(Logger, known.Address, $"head {head.Cid} pushed by {source} does not succeed the held one");
            }
            return known;
        }
        if (!carryNew || Followers().Count(f => f.Carried) >= maxCarried)
        {
            return null;
        }
        // The marker first: a restart between the two files resumes the stream as carried, not followed.
        State.SaveCarried(stream, carried: true);
        State.Save(stream, head.Bytes.Span, own: false);
        return Get(stream, own: false, head, carried: true);
    }
}
