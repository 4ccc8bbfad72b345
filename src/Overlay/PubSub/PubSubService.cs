// Spec: https://github.com/libp2p/specs/blob/master/pubsub/README.md
using System.Buffers.Binary;
using Overlay.Host;
using Overlay.Manifest.Keys;
using Overlay.PubSub.Floodsub;
using Overlay.PubSub.Gossip;
using Overlay.PubSub.Rpc;

namespace Overlay.PubSub;

/// <summary>
/// Publish/subscribe over a <see cref="Libp2pHost"/>: floodsub or gossipsub, StrictSign
/// messages, topic validators. Its streams and heartbeat are background work of the host, so it
/// stops when the host is disposed.
/// </summary>
public sealed partial class PubSubService
{
    private readonly Libp2pHost _host;
    private readonly PubSubState _state;
    private readonly IPubSubRouter _router;
    private readonly Dictionary<string, List<PubSubSubscription>> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<PubSubMessage, ValidationResult>> _validators = new(StringComparer.Ordinal);
    private long _seqno;

    public PubSubService(Libp2pHost host, PubSubOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        _state = new PubSubState(options ?? new PubSubOptions(), host.PeerId) { Connect = ConnectForPeerExchange };
        _router = _state.Options.Router == PubSubRouterKind.Floodsub ? new FloodsubRouter(_state) : new GossipSubRouter(_state);
        // Random start, as js does, so a restarted node does not reuse (from, seqno) IDs its peers still remember.
        _seqno = BinaryPrimitives.ReadInt64BigEndian(Guid.NewGuid().ToByteArray()) & long.MaxValue;
        foreach (var protocol in _router.Protocols)
        {
            host.SetStreamHandler(protocol, ServeInboundAsync);
        }
        host.Connected += OnConnected;
        host.Disconnected += OnDisconnected;
        foreach (var connection in host.Connections)
        {
            OnConnected(connection);
        }
        host.RunBackground("pubsub heartbeat", HeartbeatLoopAsync);
    }

    public IReadOnlyList<string> Protocols => _router.Protocols;

    public PubSubMetrics Metrics => _state.Metrics;

    /// <summary>
    /// A connected peer subscribed to a topic (also when a peer reconnects and announces its topics
    /// again). Raised under the service's lock: handlers must only take note, never block or call back.
    /// </summary>
    public event Action<PeerId, string>? PeerSubscribed;

    public PeerId PeerId => _host.PeerId;

    /// <summary>Topics this node is subscribed to.</summary>
    public IReadOnlyList<string> Topics
    {
        get
        {
            lock (_state.Gate)
            {
                return _state.Topics.Order(StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>Peers speaking pubsub with us, or only those subscribed to <paramref name="topic"/>.</summary>
    public IReadOnlyList<PeerId> GetPeers(string? topic = null)
    {
        lock (_state.Gate)
        {
            return (topic is null ? _state.Peers.Values : _state.PeersIn(topic)).Select(p => p.Id).ToArray();
        }
    }

    /// <summary>Our gossipsub mesh for a topic (empty under floodsub).</summary>
    public IReadOnlyList<PeerId> GetMeshPeers(string topic)
    {
        lock (_state.Gate)
        {
            return _router is GossipSubRouter gossip ? gossip.MeshPeers(topic).Select(p => p.Id).ToArray() : [];
        }
    }

    public double GetScore(PeerId peer)
    {
        lock (_state.Gate)
        {
            return _state.Score.Score(peer);
        }
    }

    public PubSubSubscription Subscribe(string topic)
    {
        CheckTopic(topic);
        var subscription = new PubSubSubscription(topic, _state.Options.SubscriptionBufferLength, Unsubscribe);
        lock (_state.Gate)
        {
            if (!_subscriptions.TryGetValue(topic, out var list))
            {
                _subscriptions[topic] = list = [];
            }
            list.Add(subscription);
            if (_state.Topics.Add(topic))
            {
                Announce(topic, true);
                _router.Join(topic);
            }
        }
        return subscription;
    }

    /// <summary>Registers the validator every received message on <paramref name="topic"/> must pass (one per topic).</summary>
    public void RegisterValidator(string topic, Func<PubSubMessage, ValidationResult> validator)
    {
        CheckTopic(topic);
        ArgumentNullException.ThrowIfNull(validator);
        lock (_state.Gate)
        {
            _validators[topic] = validator;
        }
    }

    public void RemoveValidator(string topic)
    {
        lock (_state.Gate)
        {
            _validators.Remove(topic);
        }
    }

    /// <summary>Signs and sends a message; returns its ID. Our own validators are not applied to it.</summary>
    public byte[] Publish(string topic, ReadOnlySpan<byte> data)
    {
        CheckTopic(topic);
        if (data.Length > _state.Options.Limits.MaxDataSize)
        {
            throw new ArgumentException($"message of {data.Length} bytes exceeds the {_state.Options.Limits.MaxDataSize}-byte limit", nameof(data));
        }
        var message = MessageSigning.Sign(_host.Identity, topic, data, (ulong)Interlocked.Increment(ref _seqno));
        var id = MessageSigning.MessageId(message);
        var key = SeenCache.KeyOf(id);
        var rpc = PubSubRpcCodec.Encode(new PubSubRpc { Messages = [message] });
        lock (_state.Gate)
        {
            _state.Seen.TryAdd(key);
            _router.Accepted(null, key, message);
            foreach (var peer in _router.PublishTargets(topic))
            {
                peer.SendEncoded(rpc);
            }
        }
        _state.Metrics.Publish();
        return id;
    }

    private void Unsubscribe(PubSubSubscription subscription)
    {
        lock (_state.Gate)
        {
            if (!_subscriptions.TryGetValue(subscription.Topic, out var list) || !list.Remove(subscription) || list.Count > 0)
            {
                return;
            }
            _subscriptions.Remove(subscription.Topic);
            _state.Topics.Remove(subscription.Topic);
            _router.Leave(subscription.Topic);
            Announce(subscription.Topic, false);
        }
    }

    private void Announce(string topic, bool subscribe)
    {
        var rpc = new PubSubRpc { Subscriptions = [new SubscriptionChange(subscribe, topic)] };
        foreach (var peer in _state.Peers.Values)
        {
            peer.Send(rpc);
        }
    }

    private void CheckTopic(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (System.Text.Encoding.UTF8.GetByteCount(topic) > _state.Options.Limits.MaxTopicLength)
        {
            throw new ArgumentException($"topic longer than {_state.Options.Limits.MaxTopicLength} bytes", nameof(topic));
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken stopping)
    {
        // A random phase, so nodes started together (a restart wave, a test, a bench) do not all run
        // mesh maintenance in the same instant: simultaneous heartbeats graft each other at once and
        // every mesh overshoots D, which costs one duplicate per extra mesh peer on every message.
        var interval = _state.Options.GossipSub.HeartbeatInterval;
        await Task.Delay(interval * Random.Shared.NextDouble(), _state.Options.Time, stopping).ConfigureAwait(false);
        using var timer = new PeriodicTimer(interval, _state.Options.Time);
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
        {
            lock (_state.Gate)
            {
                _router.Heartbeat();
            }
        }
    }

    private void ConnectForPeerExchange(PeerId peer) =>
        _host.RunBackground($"pubsub px connect {peer}", async stopping =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await _host.ConnectAsync(peer, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Manifest.Errors.OverlayException or OperationCanceledException or IOException)
            {
                // Peer exchange is best effort: without a known address or when the peer is gone, we move on.
            }
        });
}
