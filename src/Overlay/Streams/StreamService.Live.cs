// Spec: specs/stream-protocol.md §9 (live publishing).
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;

namespace Overlay.Streams;

public sealed partial class StreamService
{
    private readonly Dictionary<PeerId, LivePublication> _live = [];

    /// <summary>
    /// Starts publishing a live stream signed by <paramref name="key"/>: <paramref name="source"/>
    /// is called with the first <c>seq</c> to sign (0 for a new stream, the held head's size when
    /// this node's growing stream continues) and yields signed bundles whose payloads are already
    /// in <see cref="LocalBlocks"/>; <paramref name="metadata"/> is read for every head. The
    /// publication runs until the source ends (then it is sealed), it is stopped, or the node stops.
    /// </summary>
    /// <exception cref="InvalidOperationException">The key's stream is sealed or already being published live.</exception>
    public async Task<LivePublication> PublishLiveAsync(
        Ed25519PrivateKey key, Func<long, IAsyncEnumerable<SignedBundle>> source, Func<StreamMetadata> metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(metadata);
        var stream = key.PeerId;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_live.ContainsKey(stream))
            {
                throw new InvalidOperationException($"stream {stream.ToBase36Name()} is already being published live");
            }
            _live.Add(stream, null!);
        }
        try
        {
            StreamFollower? known;
            lock (_gate)
            {
                known = _streams.GetValueOrDefault(stream);
            }
            var builder = known?.CurrentHead is { } held
                ? held.Head.Sealed
                    ? throw new InvalidOperationException($"stream {stream.ToBase36Name()} is sealed; publish live under another key")
                    : await StreamManifestBuilder.ResumeAsync(key, LocalBlocks, held, cancellationToken).ConfigureAwait(false)
                : new StreamManifestBuilder(key, LocalBlocks);
            var publication = new LivePublication(this, builder, source, metadata);
            lock (_gate)
            {
                _live[stream] = publication;
            }
            return publication;
        }
        catch
        {
            lock (_gate)
            {
                _live.Remove(stream);
            }
            throw;
        }
    }

    /// <summary>The live publication of <paramref name="stream"/> running on this node, if any.</summary>
    public LivePublication? GetLive(PeerId stream)
    {
        lock (_gate)
        {
            return _live.GetValueOrDefault(stream);
        }
    }

    /// <summary>
    /// When this node came to hold each verified bundle of <paramref name="stream"/> in this run,
    /// as <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> values by <c>seq</c> (empty when unknown).
    /// </summary>
    public IReadOnlyDictionary<long, long> HeldTimestamps(PeerId stream)
    {
        lock (_gate)
        {
            return _streams.TryGetValue(stream, out var follower) ? follower.HeldTimestamps() : new Dictionary<long, long>();
        }
    }

    private StreamStatus WithPublishing(StreamStatus status, PeerId stream)
    {
        lock (_gate)
        {
            return _live.GetValueOrDefault(stream) is null ? status : status with { Publishing = true };
        }
    }

    /// <summary>A head our live publication signed: followed as ours, checked like any other.</summary>
    internal void AdoptOwn(SignedTreeHead head)
    {
        var follower = Get(head.Head.Stream, own: true, head);
        follower.Offer(head, PubSub.PeerId);
    }

    internal void LiveEnded(LivePublication publication)
    {
        lock (_gate)
        {
            if (_live.TryGetValue(publication.Stream, out var current) && ReferenceEquals(current, publication))
            {
                _live.Remove(publication.Stream);
            }
        }
    }

    /// <summary>Stops every live publication without sealing: a restarted node can continue them.</summary>
    private async Task StopLiveAsync()
    {
        LivePublication[] all;
        lock (_gate)
        {
            all = [.. _live.Values.Where(p => p is not null)];
        }
        foreach (var publication in all)
        {
            await publication.StopAsync(seal: false).ConfigureAwait(false);
        }
    }
}
