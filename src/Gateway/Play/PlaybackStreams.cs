// Spec: specs/gateway-hls.md §2 (playlists) and §4 (waiting and timeouts).
using System.Collections.Concurrent;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.Node;

namespace Overlay.Gateway.Play;

/// <summary>
/// The streams the gateway has been asked for, by address. Asking for a stream the node does not
/// know makes the node follow it, and the request waits (bounded) for its first verified head.
/// </summary>
internal sealed class PlaybackStreams(OverlayNode node, PlayOptions options)
{
    /// <summary>Streams the gateway keeps state for; asking for more than this many forgets the others.</summary>
    private const int MaxStreams = 1024;

    /// <summary>
    /// Streams the gateway may have made the node follow that still have no head. Any web page can
    /// make a browser GET a loopback URL, so without a cap it could make the node follow (and
    /// send REQUESTs for) any number of made-up streams.
    /// </summary>
    private const int MaxWaitingFollows = 16;

    private static readonly TimeSpan HeadPoll = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<PeerId, PlaybackStream> _streams = new();
    private readonly ConcurrentDictionary<PeerId, byte> _followedHere = new();
    private readonly Lock _followGate = new();

    public OverlayNode Node => node;

    public PlayOptions Options => options;

    /// <summary>The stream key named by <paramref name="address"/> (k51… or another peer-ID form); null unless an inline Ed25519 key.</summary>
    public static PeerId? ParseAddress(string address)
    {
        if (!PeerId.TryParse(address, out var stream) || !stream!.TryExtractPublicKey(out var key) || key is not Ed25519PublicKey)
        {
            return null;
        }
        return stream;
    }

    public PlaybackStream Get(PeerId stream)
    {
        if (_streams.TryGetValue(stream, out var known))
        {
            return known;
        }
        if (_streams.Count >= MaxStreams)
        {
            _streams.Clear();
        }
        return _streams.GetOrAdd(stream, s => new PlaybackStream(s, new SourceTrackingBlockStore(node, options.FetchTimeout), node.LocalBlocks));
    }

    /// <summary>The stream's newest verified head, or null when the node has none (this never starts following).</summary>
    public async Task<SignedTreeHead?> KnownHeadAsync(PeerId stream, CancellationToken cancellationToken) =>
        node.Streams.GetStatus(stream)?.Head is { } cid ? await Get(stream).HeadAsync(cid, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>
    /// The stream's newest verified head: follows the stream when the node does not know it yet,
    /// then waits up to <see cref="PlayOptions.HeadWait"/> for a head.
    /// </summary>
    /// <exception cref="TimeoutException">No verified head arrived in time, or too many streams the gateway asked for are still waiting for one.</exception>
    public async Task<(PlaybackStream Stream, SignedTreeHead Head)> OpenAsync(PeerId stream, CancellationToken cancellationToken)
    {
        if (node.Streams.GetStatus(stream) is null)
        {
            FollowOnDemand(stream);
        }
        var playback = Get(stream);
        var deadline = DateTime.UtcNow + options.HeadWait;
        while (true)
        {
            if (await KnownHeadAsync(stream, cancellationToken).ConfigureAwait(false) is { } head)
            {
                return (playback, head);
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"no signed head of stream {playback.Address} arrived within {options.HeadWait.TotalSeconds:0.#} s");
            }
            await Task.Delay(HeadPoll, cancellationToken).ConfigureAwait(false);
        }
    }

    private void FollowOnDemand(PeerId stream)
    {
        lock (_followGate)
        {
            var waiting = _followedHere.Keys.Count(s => node.Streams.GetStatus(s)?.Head is null);
            if (waiting >= MaxWaitingFollows)
            {
                throw new TimeoutException($"{waiting} streams asked for through the gateway are still waiting for a head; not following another");
            }
            _followedHere.TryAdd(stream, 0);
            node.Streams.Follow(stream);
        }
    }

    /// <summary>
    /// The media playlist of <paramref name="rendition"/>: every segment of a sealed stream, or
    /// the live window of a growing one. Expired bundles are left out (they are never served).
    /// </summary>
    /// <exception cref="VerificationException">The bundles break a cross-bundle rule (bundle.md §3.2).</exception>
    public async Task<string> MediaPlaylistAsync(PlaybackStream stream, SignedTreeHead head, string rendition, CancellationToken cancellationToken)
    {
        var sealedStream = head.Head.Sealed;
        var bundles = sealedStream
            ? await stream.RangeAsync(head, 0, head.Head.Size, cancellationToken).ConfigureAwait(false)
            : await stream.TailAsync(head, rendition, options.LiveWindow, cancellationToken).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var media = bundles.Where(b => PlaybackStream.IsMediaOf(b, rendition) && !b.Bundle.IsExpired(now)).Select(b => b.Bundle).ToList();
        CheckSequence(media);
        var inits = new Dictionary<long, Bundle>();
        foreach (var initSeq in media.Select(b => b.InitSeq).OfType<long>().Distinct())
        {
            var init = (await stream.BundleAsync(head, initSeq, cancellationToken).ConfigureAwait(false)).Bundle;
            if (init.Kind != BundleKind.Init || init.Rendition != rendition)
            {
                throw new VerificationException($"bundle {initSeq} is named as an init section of rendition '{rendition}' but is a {init.Kind} bundle of '{init.Rendition}'");
            }
            inits[initSeq] = init;
        }
        var target = stream.RaiseTargetDuration(HlsPlaylistWriter.TargetDuration(media));
        return HlsPlaylistWriter.Media(stream.Address, media, seq => inits.GetValueOrDefault(seq), sealedStream, options.LiveWindow, target);
    }

    /// <summary>bundle.md §3.2: <c>msn</c> increases by one per media bundle of a rendition.</summary>
    private static void CheckSequence(IReadOnlyList<Bundle> media)
    {
        for (var i = 1; i < media.Count; i++)
        {
            if (media[i].MediaSequence != media[i - 1].MediaSequence + 1)
            {
                throw new VerificationException($"bundle {media[i].Seq} has media sequence {media[i].MediaSequence} after {media[i - 1].MediaSequence}");
            }
        }
    }
}
