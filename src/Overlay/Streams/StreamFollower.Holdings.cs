// Spec: specs/sync.md §4 (carried streams), §6 (expiry) and §7 (eviction).
using Overlay.Manifest.Streams;

namespace Overlay.Streams;

/// <summary>
/// What delay-tolerant sync and the reaper change in a follower: bundles held because a peer
/// pushed them (verified by <see cref="Sync.SyncReceiver"/>), bundles known to have expired
/// (never fetched, served or announced again), held bundles whose blocks went missing
/// (evicted: fetched or pushed again), and whether the stream is only carried for others.
/// </summary>
internal sealed partial class StreamFollower
{
    private readonly HashSet<long> _expired = [];

    /// <summary>
    /// Taken from a sync peer rather than asked for by the user: its bundles come only from the
    /// local store and sync pushes (never fetched over bitswap), and it is kept with the class-ranked
    /// stream retention like a followed stream.
    /// </summary>
    public bool Carried { get; private set; }

    public void MarkCarried() => Carried = true;

    public void MarkFollowed() => Carried = false;

    /// <summary>The held leaves, ascending, with the head they are held under.</summary>
    public (SignedTreeHead? Head, long[] Held) Holdings()
    {
        lock (_gate)
        {
            return (_head, _held.Order().ToArray());
        }
    }

    /// <summary>The leaves known expired, ascending (saved with the stream's state).</summary>
    public long[] ExpiredLeaves()
    {
        lock (_gate)
        {
            return _expired.Order().ToArray();
        }
    }

    /// <summary>Leaves remembered as expired from before a restart.</summary>
    public void RestoreExpired(IEnumerable<long> leaves)
    {
        lock (_gate)
        {
            _expired.UnionWith(leaves);
        }
    }

    public bool IsExpired(long seq)
    {
        lock (_gate)
        {
            return _expired.Contains(seq);
        }
    }

    /// <summary>A bundle verified elsewhere (a sync push) whose blocks are now in the repo.</summary>
    public void MarkHeld(long seq, long bytes)
    {
        lock (_gate)
        {
            if (_expired.Contains(seq) || !_held.Add(seq))
            {
                return;
            }
            _heldBytes += bytes;
        }
        Wake();
    }

    /// <summary>A verified bundle whose lifetime is over: no longer held, never fetched again.</summary>
    public void MarkExpired(long seq, long bytes)
    {
        lock (_gate)
        {
            if (_held.Remove(seq))
            {
                _heldBytes -= bytes;
            }
            _expired.Add(seq);
        }
        Wake();
    }

    /// <summary>A held bundle whose blocks are gone (evicted): fetched or pushed again.</summary>
    public void DropHeld(long seq, long bytes)
    {
        lock (_gate)
        {
            if (_held.Remove(seq))
            {
                _heldBytes -= bytes;
            }
        }
        Wake();
    }

    /// <summary>Every leaf of <paramref name="head"/> is held or known expired.</summary>
    private bool Settled(SignedTreeHead head)
    {
        lock (_gate)
        {
            return _held.Count + _expired.Count(s => s < head.Head.Size) >= head.Head.Size;
        }
    }
}
