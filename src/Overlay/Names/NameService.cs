// Spec: https://specs.ipfs.tech/ipns/ipns-pubsub-router/ (records spread on /record/<key> topics)
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Ipns;
using Overlay.Manifest.Keys;
using Overlay.PubSub;
using Overlay.Streams;

namespace Overlay.Names;

/// <summary>
/// IPNS names over pubsub. Publishing signs a record (sequence one past the best known) and
/// sends it on the name's topic; our streams get a record pointing at their newest head
/// (<c>/ipfs/&lt;head CID&gt;</c>) whenever it changes. Every record received is validated
/// (size before parsing, signature, validity) and kept only when it beats the one held; the best
/// record per name is kept in the repo's <c>ipns/</c> folder. Our records are sent again on an
/// interval and as soon as a new peer subscribes to their topic. Nothing polls: a changed stream
/// head or a new subscriber wakes the loop, and otherwise it runs twice per republish interval.
/// </summary>
public sealed class NameService : IAsyncDisposable
{
    private readonly PubSubService _pubSub;
    private readonly NameRecordStore _store;
    private readonly NameServiceOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<PeerId, IpnsRecord> _records = [];
    private readonly Dictionary<PeerId, PubSubSubscription> _subscriptions = [];
    private readonly Dictionary<PeerId, OwnName> _own = [];
    private readonly Dictionary<PeerId, List<TaskCompletionSource>> _waiters = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    // Topics of our own names, and those of them a peer newly subscribed to: both bounded by our names.
    private readonly ConcurrentDictionary<string, PeerId> _ownTopics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _joined = new(StringComparer.Ordinal);
    private StreamService? _streams;
    private Task _loop = Task.CompletedTask;
    private long _received;
    private long _rejected;

    public NameService(PubSubService pubSub, string folder, NameServiceOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(pubSub);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        _pubSub = pubSub;
        _store = new NameRecordStore(folder);
        _options = options ?? new NameServiceOptions();
        _logger = logger ?? NullLogger.Instance;
        foreach (var (name, record) in _store.Load(DateTimeOffset.UtcNow))
        {
            _records[name] = record;
        }
    }

    /// <summary>Records received that were valid and newer than what we held.</summary>
    public long RecordsAccepted => Interlocked.Read(ref _received);

    /// <summary>Records received that failed validation (bad signature, expired, oversized, malformed).</summary>
    public long RecordsRejected => Interlocked.Read(ref _rejected);

    /// <summary>
    /// Starts the background loop: publishes a record for each of our streams' newest head (the
    /// key comes from <paramref name="keyOf"/>, null when we do not hold it) and republishes.
    /// </summary>
    public void Start(StreamService streams, Func<PeerId, Ed25519PrivateKey?> keyOf)
    {
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentNullException.ThrowIfNull(keyOf);
        _streams = streams;
        streams.OwnHeadChanged += OnOwnHeadChanged;
        _pubSub.PeerSubscribed += OnPeerSubscribed;
        _loop = Task.Run(() => LoopAsync(streams, keyOf, _stopping.Token));
    }

    // Both handlers run under another service's lock, so they only queue and wake the loop: taking
    // _gate here would invert the lock order of Tick (which holds _gate while asking pubsub for peers).
    private void OnOwnHeadChanged(PeerId stream) => WakeLoop();

    private void OnPeerSubscribed(PeerId peer, string topic)
    {
        if (_ownTopics.ContainsKey(topic))
        {
            _joined.TryAdd(topic, 0);
            WakeLoop();
        }
    }

    private void WakeLoop()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken: the loop reads all news when it runs.
        }
        catch (ObjectDisposedException)
        {
            // An event raised just as the service was disposed: nothing is left to wake.
        }
    }

    /// <summary>Signs <paramref name="value"/> (a <c>/ipfs/…</c> path) under <paramref name="key"/>'s name and spreads it.</summary>
    public IpnsRecord Publish(Ed25519PrivateKey key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(value);
        var name = key.PeerId;
        IpnsRecord record;
        lock (_gate)
        {
            var sequence = _records.TryGetValue(name, out var known) ? known.Sequence + 1 : 0;
            record = IpnsRecord.Create(key, value, sequence, DateTimeOffset.UtcNow + _options.RecordLifetime, _options.RecordTtl);
            _records[name] = record;
            _own[name] = new OwnName { LastSent = DateTimeOffset.MinValue };
            _ownTopics[IpnsTopic.For(name)] = name;
            Watch(name);
            Wake(name);
        }
        _store.Save(name, record);
        Send(name);
        return record;
    }

    /// <summary>The best valid record held for <paramref name="name"/>, or null.</summary>
    public IpnsRecord? Get(PeerId name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            if (_records.TryGetValue(name, out var record) && record.Validity > DateTimeOffset.UtcNow)
            {
                return record;
            }
            return null;
        }
    }

    /// <summary>
    /// The best record for <paramref name="name"/>: the one held, else the first valid one heard
    /// on its topic within <paramref name="wait"/> (the topic stays subscribed for updates). Null
    /// when none arrived, or at once when <see cref="NameServiceOptions.MaxWatchedNames"/> other
    /// names are watched already.
    /// </summary>
    public async Task<IpnsRecord?> ResolveAsync(PeerId name, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        TaskCompletionSource arrived;
        lock (_gate)
        {
            if (Get(name) is { } held)
            {
                return held;
            }
            if (!_subscriptions.ContainsKey(name) && _subscriptions.Count - _own.Count >= _options.MaxWatchedNames)
            {
                _logger.LogWarning("IPNS: not resolving {Name}: already watching {Count} names", name.ToBase36Name(), _options.MaxWatchedNames);
                return null;
            }
            Watch(name);
            arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_waiters.TryGetValue(name, out var list))
            {
                _waiters[name] = list = [];
            }
            list.Add(arrived);
        }
        try
        {
            await arrived.Task.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        finally
        {
            lock (_gate)
            {
                if (_waiters.TryGetValue(name, out var list) && list.Remove(arrived) && list.Count == 0)
                {
                    _waiters.Remove(name);
                }
            }
        }
        return Get(name);
    }

    /// <summary>Subscribes to the name's topic with the validator that keeps the best record. Under the lock.</summary>
    private void Watch(PeerId name)
    {
        if (_subscriptions.ContainsKey(name))
        {
            return;
        }
        var topic = IpnsTopic.For(name);
        _pubSub.RegisterValidator(topic, message => Receive(name, message));
        _subscriptions[name] = _pubSub.Subscribe(topic);
    }

    private ValidationResult Receive(PeerId name, PubSubMessage message)
    {
        IpnsRecord record;
        try
        {
            record = IpnsRecord.Validate(message.Data.Span, name, DateTimeOffset.UtcNow);
        }
        catch (OverlayException e)
        {
            Interlocked.Increment(ref _rejected);
            _logger.LogDebug("IPNS record for {Name} from {Peer} refused: {Reason}", name.ToBase36Name(), message.ReceivedFrom, e.Message);
            return ValidationResult.Reject;
        }
        lock (_gate)
        {
            if (_records.TryGetValue(name, out var held) && held.Validity > DateTimeOffset.UtcNow && !record.IsBetterThan(held))
            {
                // The same record again is relayed (a newcomer may need it), an older one is not.
                return record.Bytes.SequenceEqual(held.Bytes) ? ValidationResult.Accept : ValidationResult.Ignore;
            }
            _records[name] = record;
            Wake(name);
        }
        Interlocked.Increment(ref _received);
        _store.Save(name, record);
        return ValidationResult.Accept;
    }

    /// <summary>Releases resolvers waiting for this name. Under the lock.</summary>
    private void Wake(PeerId name)
    {
        if (_waiters.TryGetValue(name, out var list))
        {
            foreach (var waiter in list)
            {
                waiter.TrySetResult();
            }
        }
    }

    private void Send(PeerId name)
    {
        IpnsRecord record;
        lock (_gate)
        {
            if (!_own.TryGetValue(name, out var own) || !_records.TryGetValue(name, out var held))
            {
                return;
            }
            record = held;
            own.LastSent = DateTimeOffset.UtcNow;
        }
        _pubSub.Publish(IpnsTopic.For(name), record.Bytes);
    }

    private async Task LoopAsync(StreamService streams, Func<PeerId, Ed25519PrivateKey?> keyOf, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    Tick(streams, keyOf);
                }
                catch (Exception e) when (e is OverlayException or IOException or UnauthorizedAccessException or ArgumentException)
                {
                    _logger.LogWarning("IPNS publishing: {Reason}", e.Message);
                }
                // Half the republish interval bounds how late a republish or a half-life refresh can be.
                await _wake.WaitAsync(_options.RepublishInterval / 2, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Tick(StreamService streams, Func<PeerId, Ed25519PrivateKey?> keyOf)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var status in streams.List())
        {
            if (!status.Own || status.Head is null || !PeerId.TryParse(status.Address, out var name) || name is null)
            {
                continue;
            }
            var value = "/ipfs/" + status.Head;
            IpnsRecord? held;
            lock (_gate)
            {
                _records.TryGetValue(name, out held);
            }
            // A new head, or a record past half its life, gets a fresh record.
            if (held is null || held.Value != value || held.Validity - now < _options.RecordLifetime / 2)
            {
                if (keyOf(name) is { } key)
                {
                    Publish(key, value);
                }
            }
        }
        var joined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var topic in _joined.Keys)
        {
            if (_joined.TryRemove(topic, out _))
            {
                joined.Add(topic);
            }
        }
        List<PeerId> due = [];
        lock (_gate)
        {
            foreach (var (name, own) in _own)
            {
                if (joined.Contains(IpnsTopic.For(name)) || now - own.LastSent >= _options.RepublishInterval)
                {
                    due.Add(name);
                }
            }
        }
        foreach (var name in due)
        {
            Send(name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        if (_streams is { } streams)
        {
            streams.OwnHeadChanged -= OnOwnHeadChanged;
        }
        _pubSub.PeerSubscribed -= OnPeerSubscribed;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var (name, subscription) in _subscriptions)
            {
                subscription.Dispose();
                _pubSub.RemoveValidator(IpnsTopic.For(name));
            }
            _subscriptions.Clear();
        }
        _stopping.Dispose();
        _wake.Dispose();
    }

    private sealed class OwnName
    {
        public DateTimeOffset LastSent { get; set; }
    }
}
