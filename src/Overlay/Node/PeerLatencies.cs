using System.Collections.Concurrent;
using Overlay.Manifest.Keys;

namespace Overlay.Node;

/// <summary>
/// A smoothed round-trip time per peer, fed by our pings: an exponentially weighted moving
/// average with weight 0.1 for the newest sample, as go-libp2p's peerstore keeps it, so one slow
/// ping does not swing the figure. Bounded like the peer store: past that many peers, new ones go unrecorded.
/// </summary>
public sealed class PeerLatencies
{
    /// <summary>go-libp2p's <c>LatencyEWMASmoothing</c>.</summary>
    private const double Smoothing = 0.1;

    /// <summary>The same bound as the peer store.</summary>
    private const int MaxPeers = Host.PeerStore.MaxPeers;

    private readonly ConcurrentDictionary<PeerId, TimeSpan> _latencies = new();

    public void Record(PeerId peer, TimeSpan rtt)
    {
        if (_latencies.Count >= MaxPeers && !_latencies.ContainsKey(peer))
        {
            return;
        }
        _latencies.AddOrUpdate(peer, rtt, (_, old) => TimeSpan.FromTicks((long)((1 - Smoothing) * old.Ticks + Smoothing * rtt.Ticks)));
    }

    public TimeSpan? Get(PeerId peer) => _latencies.TryGetValue(peer, out var rtt) ? rtt : null;
}
