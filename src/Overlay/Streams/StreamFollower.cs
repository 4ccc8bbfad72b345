// Spec: specs/stream-protocol.md §4 (validation order) and §5 (follower state machine).
using Microsoft.Extensions.Logging;
using Overlay.Manifest.Codecs.DagCbor;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipld;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.PubSub;

namespace Overlay.Streams;

/// <summary>
/// One stream this node publishes or follows: the topic's validator (which decides every offered
/// head), the newest verified head, the set of bundles verified under it, and the loop that
/// requests, fetches, verifies, pins and announces (StreamFollower.Loop.cs).
/// </summary>
internal sealed partial class StreamFollower : IAsyncDisposable
{
    private readonly StreamService _service;
    private readonly Lock _gate = new();
    private readonly HashSet<long> _held = [];
    private readonly Dictionary<long, long> _heldAt = [];
    private readonly HashSet<PeerId> _havePeers = [];
    private readonly Dictionary<PeerId, (long Second, int Count)> _rates = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly PubSubSubscription _subscription;
    private readonly Task _drain;
    private Task _loop = Task.CompletedTask;
    private SignedTreeHead? _head;
    private SignedTreeHead? _pending;
    private long _heldBytes;
    private bool _requested;
    private bool _headChanged;

    public StreamFollower(StreamService service, PeerId stream, bool own, SignedTreeHead? head)
    {
        _service = service;
        Stream = stream;
        Own = own;
        Address = stream.ToBase36Name();
        Topic = StreamTopic.Of(stream);
        _head = head;
        _headChanged = head is not null;
        _service.PubSub.RegisterValidator(Topic, Validate);
        _subscription = _service.PubSub.Subscribe(Topic);
        // Decisions happen in the validator; delivered messages only need to leave the buffer.
        _drain = DrainAsync();
    }

    public PeerId Stream { get; }

    public string Address { get; }

    public string Topic { get; }

    public bool Own { get; private set; }

    private StreamMetrics Metrics => _service.Metrics;

    private ILogger Logger => _service.Logger;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public void MarkOwn() => Own = true;

    public StreamStatus Status()
    {
        lock (_gate)
        {
            return new StreamStatus
            {
                Address = Address,
                Own = Own,
                Title = _head?.Head.Metadata.Title ?? "",
                Sealed = _head?.Head.Sealed ?? false,
                Live = _head is { Head.Sealed: false },
                Head = _head?.Cid.ToString(),
                Total = _head?.Head.Size ?? 0,
                Held = _held.Count,
                Expired = _expired.Count,
                Carried = Carried,
                Bytes = _heldBytes,
                Peers = _havePeers.Count,
            };
        }
    }

    /// <summary>The newest verified head, or null while none is known.</summary>
    public SignedTreeHead? CurrentHead
    {
        get
        {
            lock (_gate)
            {
                return _head;
            }
        }
    }

    /// <summary>When each bundle became held in this run (<see cref="System.Diagnostics.Stopwatch"/> timestamps by seq).</summary>
    public Dictionary<long, long> HeldTimestamps()
    {
        lock (_gate)
        {
            return new Dictionary<long, long>(_heldAt);
        }
    }

    /// <summary>Offers a head that did not come over the topic (our own import, or the repo at start).</summary>
    public ValidationResult Offer(SignedTreeHead head, PeerId source) => Adopt(head, source);

    /// <summary>
    /// The topic validator: rate per sender, then the envelope, then for a HEAD the stream field
    /// (cheap), the signature over the exact bytes, and last the succession against the held head.
    /// </summary>
    private ValidationResult Validate(PubSubMessage message)
    {
        if (!WithinRate(message.ReceivedFrom))
        {
            Metrics.MessageRejected();
            return ValidationResult.Ignore;
        }
        StreamMessage decoded;
        try
        {
            decoded = StreamMessageCodec.Decode(message.Data.Span);
        }
        catch (OverlayException)
        {
            Metrics.MessageRejected();
            return ValidationResult.Reject;
        }
        switch (decoded.Kind)
        {
            case StreamMessageKind.Request:
                lock (_gate)
                {
                    _requested = true;
                }
                Wake();
                return ValidationResult.Accept;
            case StreamMessageKind.Have:
                lock (_gate)
                {
                    if (_havePeers.Count < 1024)
                    {
                        _havePeers.Add(message.From);
                    }
                }
                return ValidationResult.Accept;
            default:
                return OfferBytes(decoded.Head.Span, message.From);
        }
    }

    private ValidationResult OfferBytes(ReadOnlySpan<byte> bytes, PeerId source)
    {
        SignedTreeHead head;
        try
        {
            // The stream field first: a head of another key costs no signature check.
            if (DagCbor.Decode(bytes) is not IpldMap map || !map.TryGetValue("stream", out var field) || field is not IpldBytes streamBytes)
            {
                return Refuse(HeadRejection.Malformed, source, "not a tree head map with a stream field", ValidationResult.Reject);
            }
            if (!streamBytes.Value.Span.SequenceEqual(Stream.Bytes))
            {
                return Refuse(HeadRejection.ForeignKey, source, "the head names another stream key", ValidationResult.Reject);
            }
            head = SignedTreeHead.Decode(bytes, Stream);
        }
        catch (VerificationException e)
        {
            return Refuse(HeadRejection.BadSignature, source, e.Message, ValidationResult.Reject);
        }
        catch (OverlayException e)
        {
            return Refuse(HeadRejection.Malformed, source, e.Message, ValidationResult.Reject);
        }
        // Time last: an old or early head is not the sender's fault (clocks differ, copies linger).
        var now = _service.Options.Clock.GetUtcNow();
        if (head.Head.IsExpired(now) || head.Head.Time > now + StreamLimits.MaxClockSkew)
        {
            return Refuse(HeadRejection.Expired, source, $"head signed at {head.Head.Time:O}, expiring {head.Head.Expires:O}, is outside now {now:O}", ValidationResult.Ignore);
        }
        return Adopt(head, source);
    }

    private ValidationResult Adopt(SignedTreeHead offered, PeerId source)
    {
        lock (_gate)
        {
            if (_head is { } held)
            {
                if (offered.Head.Size > held.Head.Size && !held.Head.Sealed)
                {
                    // Consistency needs the offered head's page tree: the loop proves it before adopting.
                    // A newer head of the same size also replaces the pending one: the seal of a live stream
                    // often arrives while its last growing head is still being proven.
                    if (_pending is null || offered.Head.Size > _pending.Head.Size
                        || (offered.Head.Size == _pending.Head.Size && offered.Head.Time > _pending.Head.Time))
                    {
                        _pending = offered;
                    }
                    Wake();
                    return ValidationResult.Accept;
                }
                try
                {
                    switch (TreeHeadSuccession.Check(held, offered, []))
                    {
                        case HeadUpdate.Duplicate:
                            return ValidationResult.Ignore;
                        case HeadUpdate.OlderSize or HeadUpdate.OlderTime:
                            return Refuse(HeadRejection.Replay, source, $"size {offered.Head.Size} at {offered.Head.Time:O} is not newer than the held size {held.Head.Size} at {held.Head.Time:O}", ValidationResult.Ignore);
                    }
                }
                catch (ForkDetectedException e)
                {
                    return Refuse(HeadRejection.Fork, source, e.Message, ValidationResult.Reject);
                }
                catch (SealedStreamException e)
                {
                    return Refuse(HeadRejection.Sealed, source, e.Message, ValidationResult.Reject);
                }
            }
            SetHead(offered);
        }
        Wake();
        return ValidationResult.Accept;
    }

    /// <summary>Makes <paramref name="head"/> the followed head; bundles held under the old one stay held (their leaves are a prefix).</summary>
    private void SetHead(SignedTreeHead head)
    {
        _head = head;
        _headChanged = true;
        Metrics.HeadAccepted();
        StreamLog.HeadAccepted(Logger, Address, head.Head.Size, head.Cid.ToString());
        if (Own)
        {
            _service.RaiseOwnHeadChanged(Stream);
        }
    }

    /// <summary>One pending wake-up is enough: the loop reads all news under the lock when it runs.</summary>
    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    private ValidationResult Refuse(string reason, PeerId source, string detail, ValidationResult result)
    {
        Metrics.HeadRejected(reason);
        StreamLog.HeadRejected(Logger, Address, source.ToString(), reason, detail);
        return result;
    }

    private bool WithinRate(PeerId peer)
    {
        var second = _service.Options.Clock.GetUtcNow().ToUnixTimeSeconds();
        lock (_gate)
        {
            if (_rates.Count > 4096)
            {
                _rates.Clear();
            }
            var (at, count) = _rates.GetValueOrDefault(peer);
            count = at == second ? count + 1 : 1;
            _rates[peer] = (second, count);
            return count <= _service.Options.MessagesPerPeerPerSecond;
        }
    }

    private async Task DrainAsync()
    {
        try
        {
            await foreach (var _ in _subscription.Messages.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _service.PubSub.RemoveValidator(Topic);
        _subscription.Dispose();
        await Task.WhenAll(_loop, _drain).ConfigureAwait(false);
        _stop.Dispose();
        _wake.Dispose();
    }
}
