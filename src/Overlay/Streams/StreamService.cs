// Spec: specs/stream-protocol.md.
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Overlay.Blocks;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.PubSub;

namespace Overlay.Streams;

/// <summary>
/// The node's streams: publishes sealed manifests imported into the repo (HEAD on the stream's
/// topic, answers to REQUESTs, periodic re-announcements) and follows streams by address
/// (validates every offered head, fetches and verifies every bundle and payload through the
/// network store, keeps what it holds, announces HAVE; own streams are pinned, others kept by
/// the class-ranked stream retention, specs/sync.md §7). Each known stream's newest verified head
/// is kept in the repo's <c>streams/</c> folder, and <see cref="Resume"/> picks them up again.
/// </summary>
public sealed partial class StreamService : IAsyncDisposable
{
    private readonly Dictionary<PeerId, StreamFollower> _streams = [];
    private readonly Lock _gate = new();
    private readonly Func<IBlockStore> _networkBlocks;
    private bool _disposed;

    /// <param name="pubSub">Carries the control messages.</param>
    /// <param name="localBlocks">The repo's blocks as writers see them (puts are offered to bitswap peers).</param>
    /// <param name="networkBlocks">A reader's store: local first, then the network; one per fetch pass.</param>
    /// <param name="pins">Where complete streams are pinned.</param>
    /// <param name="stateFolder">The repo's <c>streams/</c> folder.</param>
    public StreamService(
        PubSubService pubSub, IBlockStore localBlocks, Func<IBlockStore> networkBlocks, PinStore pins, string stateFolder,
        StreamServiceOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(pubSub);
        ArgumentNullException.ThrowIfNull(localBlocks);
        ArgumentNullException.ThrowIfNull(networkBlocks);
        ArgumentNullException.ThrowIfNull(pins);
        ArgumentException.ThrowIfNullOrEmpty(stateFolder);
        PubSub = pubSub;
        LocalBlocks = localBlocks;
        _networkBlocks = networkBlocks;
        Pins = pins;
        State = new StreamStateStore(stateFolder);
        Options = options ?? new StreamServiceOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.Concurrency, 1);
        Logger = logger ?? NullLogger.Instance;
    }

    public StreamMetrics Metrics { get; } = new();

    /// <summary>
    /// One of our own streams got a new head, or a stream became ours. Followed streams do not
    /// raise it: a node following many live streams would otherwise wake its listeners every few
    /// seconds per stream. Raised under the service's or the stream's lock: handlers must only take
    /// note (set a flag, release a waiter), never block or call back.
    /// </summary>
    public event Action<PeerId>? OwnHeadChanged;

    internal void RaiseOwnHeadChanged(PeerId stream) => OwnHeadChanged?.Invoke(stream);

    public StreamServiceOptions Options { get; }

    internal PubSubService PubSub { get; }

    internal IBlockStore LocalBlocks { get; }

    internal PinStore Pins { get; }

    internal StreamStateStore State { get; }

    internal ILogger Logger { get; }

    internal IBlockStore NetworkBlocks() => _networkBlocks();

    /// <summary>
    /// Picks up every stream the repo knows: its saved head is verified again (signature, not
    /// expiry: a VOD head kept for later is still the publisher's word) and the stream is
    /// published or followed as before; held bundles are re-verified from the local store.
    /// </summary>
    public void Resume()
    {
        foreach (var (stream, bytes, own) in State.Load())
        {
            SignedTreeHead head;
            try
            {
                head = SignedTreeHead.Decode(bytes, stream);
            }
            catch (OverlayException e)
            {
                StreamLog.Problem(Logger, stream.ToBase36Name(), $"saved head not resumed: {e.Message}");
                continue;
            }
            Get(stream, own, head, carried: !own && State.IsCarried(stream));
        }
    }

    /// <summary>
    /// Publishes a sealed or growing manifest whose blocks (head, page tree, bundles, payloads)
    /// are in the local store: pins it, records it as ours, verifies it and starts announcing it.
    /// </summary>
    /// <exception cref="PinException">A block of the manifest is not in the local store.</exception>
    /// <exception cref="VerificationException">The head forks or unseals the head this node holds for the stream.</exception>
    public async Task<StreamStatus> PublishAsync(SignedTreeHead head, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(head);
        await LocalBlocks.PutAsync(head.Cid, head.Bytes, cancellationToken).ConfigureAwait(false);
        await Pins.AddAsync(head.Cid, recursive: true, LocalBlocks, cancellationToken).ConfigureAwait(false);
        State.Save(head.Head.Stream, head.Bytes.Span, own: true);
        var follower = Get(head.Head.Stream, own: true, head);
        if (follower.Offer(head, PubSub.PeerId) == ValidationResult.Reject)
        {
            throw new VerificationException($"{head} does not succeed the head this node holds for the stream");
        }
        // Our own bundles go through the same checks as anyone's (from the local store, so this
        // is quick); the caller learns the address once the stream is held and announced.
        return await WaitCompleteAsync(head.Head.Stream, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts following <paramref name="stream"/> (nothing changes when it is already known).</summary>
    public StreamStatus Follow(PeerId stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var follower = Get(stream, own: false, head: null);
        if (follower.Carried)
        {
            // Asked for by the user now: followed like any other (fetched over bitswap too).
            follower.MarkFollowed();
            State.SaveCarried(stream, carried: false);
        }
        return follower.Status();
    }

    public StreamStatus? GetStatus(PeerId stream)
    {
        lock (_gate)
        {
            return _streams.TryGetValue(stream, out var follower) ? WithPublishing(follower.Status(), stream) : null;
        }
    }

    /// <summary>Every known stream, by address.</summary>
    public IReadOnlyList<StreamStatus> List()
    {
        StreamFollower[] all;
        lock (_gate)
        {
            all = [.. _streams.Values];
        }
        return all.Select(f => WithPublishing(f.Status(), f.Stream)).OrderBy(s => s.Address, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Reports the stream's status as it changes until every bundle under its newest head is held.</summary>
    public async Task<StreamStatus> WaitCompleteAsync(PeerId stream, IProgress<StreamStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        StreamStatus? last = null;
        while (true)
        {
            var status = GetStatus(stream) ?? throw new InvalidOperationException($"stream {stream.ToBase36Name()} is not followed");
            if (status != last)
            {
                progress?.Report(status);
                last = status;
            }
            if (status.Complete)
            {
                return status;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    private StreamFollower Get(PeerId stream, bool own, SignedTreeHead? head, bool carried = false)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_streams.TryGetValue(stream, out var known))
            {
                if (own)
                {
                    known.MarkOwn();
                    RaiseOwnHeadChanged(stream);
                }
                return known;
            }
            var follower = new StreamFollower(this, stream, own, head);
            if (carried)
            {
                follower.MarkCarried();
            }
            follower.RestoreExpired(Retention.ExpiredSetFile.Load(State.Folder, stream));
            _streams.Add(stream, follower);
            follower.Start();
            if (own)
            {
                RaiseOwnHeadChanged(stream);
            }
            return follower;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopLiveAsync().ConfigureAwait(false);
        StreamFollower[] all;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            all = [.. _streams.Values];
        }
        foreach (var follower in all)
        {
            await follower.DisposeAsync().ConfigureAwait(false);
        }
    }
}
