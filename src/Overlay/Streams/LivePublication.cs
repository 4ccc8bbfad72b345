// Spec: specs/stream-protocol.md §9 (live publishing).
using System.Diagnostics;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;

namespace Overlay.Streams;

/// <summary>
/// One live stream this node is publishing: each bundle the source yields is appended to the
/// manifest, a new growing (unsealed) head is signed, pinned (the previous head's pin dropped,
/// so the node's own stream is never evicted), saved, and announced on the stream's topic at
/// once; when the source ends (or <see cref="StopAsync"/> asks for it) a sealed head closes
/// the stream. Owned by <see cref="StreamService"/>, which stops it (unsealed) when the node stops.
/// </summary>
public sealed class LivePublication
{
    private readonly StreamService _service;
    private readonly StreamManifestBuilder _builder;
    private readonly Func<StreamMetadata> _metadata;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<SignedTreeHead> _firstHead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<long, long> _announcedAt = [];
    private readonly Lock _gate = new();
    private SignedTreeHead? _head;
    private long _bytes;
    private bool _seal = true;

    internal LivePublication(StreamService service, StreamManifestBuilder builder, Func<long, IAsyncEnumerable<SignedBundle>> source, Func<StreamMetadata> metadata)
    {
        _service = service;
        _builder = builder;
        _metadata = metadata;
        _head = builder.LastHead;
        Stream = builder.Stream;
        Address = Stream.ToBase36Name();
        FirstSeq = builder.Size;
        Completion = Task.Run(() => RunAsync(source(builder.Size)));
    }

    public PeerId Stream { get; }

    public string Address { get; }

    /// <summary><c>seq</c> of the first bundle of this run (the size of the head it continues, or 0).</summary>
    public long FirstSeq { get; }

    /// <summary>The newest head announced (null before the first bundle of a new stream).</summary>
    public SignedTreeHead? Head
    {
        get
        {
            lock (_gate)
            {
                return _head;
            }
        }
    }

    /// <summary>Bundles published by this run.</summary>
    public long Bundles
    {
        get
        {
            lock (_gate)
            {
                return (_head?.Head.Size ?? FirstSeq) - FirstSeq;
            }
        }
    }

    /// <summary>Payload bytes of the bundles published by this run.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The first head this run announced; faults when the source fails before yielding a bundle.</summary>
    public Task<SignedTreeHead> FirstHead => _firstHead.Task;

    /// <summary>The last head (sealed unless stopped with <c>seal: false</c>); faults with the source's failure.</summary>
    public Task<SignedTreeHead?> Completion { get; }

    /// <summary>
    /// When each bundle's head was announced, as <see cref="Stopwatch.GetTimestamp"/> values (for
    /// publish-to-available latency measured against <see cref="StreamService.HeldTimestamps"/>).
    /// </summary>
    public IReadOnlyDictionary<long, long> AnnouncedAt()
    {
        lock (_gate)
        {
            return new Dictionary<long, long>(_announcedAt);
        }
    }

    /// <summary>
    /// Stops reading the source and waits for the publication to end: with <paramref name="seal"/>,
    /// a sealed head over what was published closes the stream; without, the stream stays growing
    /// (a later <c>PublishLiveAsync</c> with the same key continues it).
    /// </summary>
    public async Task<SignedTreeHead?> StopAsync(bool seal = true)
    {
        Stop(seal);
        try
        {
            return await Completion.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OverlayException or IOException or OperationCanceledException)
        {
            // The failure is the source's, reported through Completion; stopping succeeded.
            return Head;
        }
    }

    /// <summary>Asks the publication to stop (see <see cref="StopAsync"/>) without waiting; <see cref="Completion"/> tells when it has.</summary>
    public void Stop(bool seal = true)
    {
        lock (_gate)
        {
            _seal = seal;
        }
        _stop.Cancel();
    }

    private async Task<SignedTreeHead?> RunAsync(IAsyncEnumerable<SignedBundle> source)
    {
        var token = _stop.Token;
        try
        {
            try
            {
                await foreach (var bundle in source.WithCancellation(token).ConfigureAwait(false))
                {
                    await _builder.AppendAsync(bundle, token).ConfigureAwait(false);
                    _builder.Metadata = _metadata();
                    var head = await _builder.SignHeadAsync(NextTime(), cancellationToken: token).ConfigureAwait(false);
                    await AnnounceAsync(head, bundle.Bundle.Size, token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Stopped: seal (or not) below.
            }
            bool seal;
            lock (_gate)
            {
                seal = _seal;
            }
            if (seal && _builder.Size > 0 && !_builder.Sealed)
            {
                _builder.Metadata = _metadata();
                var sealedHead = await _builder.SignHeadAsync(NextTime(), seal: true).ConfigureAwait(false);
                await AnnounceAsync(sealedHead, 0, CancellationToken.None).ConfigureAwait(false);
            }
            _firstHead.TrySetException(new InvalidOperationException("the live source ended before its first segment"));
            return Head;
        }
        catch (Exception e)
        {
            _firstHead.TrySetException(e);
            StreamLog.Problem(_service.Logger, Address, $"live publishing stopped: {e.Message}");
            throw;
        }
        finally
        {
            _service.LiveEnded(this);
        }
    }

    /// <summary>Head times must grow by at least a millisecond (the signed resolution) even when segments close together.</summary>
    private DateTimeOffset NextTime()
    {
        var now = _service.Options.Clock.GetUtcNow();
        return _builder.LastHead is { } last && now <= last.Head.Time ? last.Head.Time.AddMilliseconds(1) : now;
    }

    /// <summary>Pins the new head before the old pin goes (no moment unpinned), saves it, adopts it and sends HEAD now.</summary>
    private async Task AnnounceAsync(SignedTreeHead head, long payloadBytes, CancellationToken cancellationToken)
    {
        SignedTreeHead? previous;
        lock (_gate)
        {
            previous = _head;
        }
        await _service.Pins.AddAsync(head.Cid, recursive: true, _service.LocalBlocks, cancellationToken).ConfigureAwait(false);
        if (previous is not null && previous.Cid != head.Cid)
        {
            try
            {
                await _service.Pins.RemoveAsync(previous.Cid, recursive: true, cancellationToken).ConfigureAwait(false);
            }
            catch (Blocks.PinException)
            {
                // Not pinned (a head this run continues that someone unpinned): nothing to drop.
            }
        }
        _service.State.Save(Stream, head.Bytes.Span, own: true);
        _service.AdoptOwn(head);
        _service.PubSub.Publish(StreamTopic.Of(Stream), StreamMessageCodec.Encode(new StreamMessage { Kind = StreamMessageKind.Head, Head = head.Bytes }));
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            for (var seq = previous?.Head.Size ?? FirstSeq; seq < head.Head.Size; seq++)
            {
                _announcedAt.TryAdd(seq, now);
            }
            _head = head;
            _bytes += payloadBytes;
        }
        _firstHead.TrySetResult(head);
    }
}
