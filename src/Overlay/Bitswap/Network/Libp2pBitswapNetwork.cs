// Spec: https://specs.ipfs.tech/bitswap-protocol/ (length-prefixed messages on streams; any bitswap version id)
using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Overlay.Bitswap.Messages;
using Overlay.Host;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;


namespace Overlay.Bitswap.Network;

/// <summary>
/// Bitswap over a <see cref="Libp2pHost"/>: serves every bitswap protocol id, reads each inbound
/// stream as a sequence of messages until it ends (peers may reuse a stream or open one per
/// message), sends through one <see cref="PeerSender"/> per peer, and keeps the strike count
/// that gets a misbehaving peer disconnected and banned.
/// </summary>
internal sealed class Libp2pBitswapNetwork : IBitswapNetwork
{
    private readonly Libp2pHost _host;
    private readonly BitswapOptions _options;
    private readonly BitswapMetrics _metrics;
    private readonly ILogger _logger;
    private readonly BackgroundTasks _tasks;
    private readonly Lock _peersLock = new();
    private readonly Dictionary<PeerId, PeerSender> _senders = [];
    private readonly ConcurrentDictionary<PeerId, byte> _connected = new();
    private readonly ConcurrentDictionary<PeerId, byte> _notBitswap = new();
    private readonly ConcurrentDictionary<PeerId, int> _strikes = new();
    private readonly ConcurrentDictionary<PeerId, DateTimeOffset> _banned = new();
    private Func<PeerId, BitswapMessage, CancellationToken, ValueTask>? _receiver;

    public Libp2pBitswapNetwork(Libp2pHost host, BitswapOptions options, BitswapMetrics metrics, ILogger logger, BackgroundTasks tasks)
    {
        _host = host;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _tasks = tasks;
    }

    public event Action<PeerId>? PeerConnected;

    public event Action<PeerId>? PeerDisconnected;

    public IReadOnlyCollection<PeerId> Peers =>
        _connected.Keys.Where(p => !IsBanned(p) && !_notBitswap.ContainsKey(p) && MaySpeakBitswap(p)).ToArray();

    public bool IsConnected(PeerId peer) => _connected.ContainsKey(peer) && !IsBanned(peer);

    public void Start(Func<PeerId, BitswapMessage, CancellationToken, ValueTask> receiver)
    {
        _receiver = receiver;
        _host.Connected += OnConnected;
        _host.Disconnected += OnDisconnected;
        foreach (var protocol in BitswapProtocols.All)
        {
            _host.SetStreamHandler(protocol, ReceiveAsync);
        }
        foreach (var connection in _host.Connections)
        {
            OnConnected(connection);
        }
    }

    public void EnqueueWants(PeerId peer, IReadOnlyList<BitswapWantlistEntry> entries)
    {
        if (entries.Count > 0)
        {
            SenderOf(peer)?.EnqueueWants(entries);
        }
    }

    public ValueTask SendAsync(PeerId peer, BitswapMessage message, CancellationToken cancellationToken) =>
        SenderOf(peer)?.SendAsync(message, cancellationToken) ?? ValueTask.CompletedTask;

    public void Penalise(PeerId peer, string reason)
    {
        var strikes = _strikes.AddOrUpdate(peer, 1, (_, n) => n + 1);
        if (strikes < _options.MaxStrikes || !_strikes.TryRemove(peer, out _))
        {
            return;
        }
        _banned[peer] = DateTimeOffset.UtcNow + _options.BanDuration;
        _metrics.PeerCutOff();
        BitswapLog.PeerCutOff(_logger, peer.ToString(), strikes, reason);
        CutOff(peer);
    }

    public bool IsBanned(PeerId peer)
    {
        if (!_banned.TryGetValue(peer, out var until))
        {
            return false;
        }
        if (until > DateTimeOffset.UtcNow)
        {
            return true;
        }
        _banned.TryRemove(new KeyValuePair<PeerId, DateTimeOffset>(peer, until));
        return false;
    }

    private bool MaySpeakBitswap(PeerId peer)
    {
        // Before identify answers we do not know; the first stream we open finds out.
        var protocols = _host.Peers.Get(peer)?.Protocols;
        return protocols is null || protocols.Count == 0 || protocols.Any(BitswapProtocols.All.Contains);
    }

    private PeerSender? SenderOf(PeerId peer)
    {
        lock (_peersLock)
        {
            if (!_connected.ContainsKey(peer))
            {
                return null;
            }
            if (!_senders.TryGetValue(peer, out var sender))
            {
                sender = new PeerSender(_host, peer, _options, _metrics, _logger, p => _notBitswap.TryAdd(p, 0));
                _senders[peer] = sender;
                _tasks.Run($"bitswap sender {peer}", sender.RunAsync);
            }
            return sender;
        }
    }

    private async Task ReceiveAsync(PeerStream stream, CancellationToken cancellationToken)
    {
        var peer = stream.RemotePeer;
        if (IsBanned(peer))
        {
            _metrics.Reject(BitswapRejectReason.BannedPeer);
            stream.Reset();
            return;
        }
        // One message is handled (blocks hashed, stored, handed out) while the next is read:
        // handling inline would stop reading for the whole time, let the muxer's window fill and
        // stall the sender. Messages of one stream are still handled one at a time, in order, and
        // at most two are held per stream (the one handled, the one being read). A message's
        // buffer goes back to the pool once it has been handled.
        var handling = Task.CompletedTask;
        try
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            while (await ReadMessageAsync(stream, peer, idle, cancellationToken).ConfigureAwait(false) is (BitswapMessage message, byte[] buffer))
            {
                _metrics.MessageReceived();
                await handling.ConfigureAwait(false);
                handling = Task.Run(() => HandleAsync(peer, message, buffer, cancellationToken), CancellationToken.None);
            }
        }
        finally
        {
            await handling.ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(PeerId peer, BitswapMessage message, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _receiver!(peer, message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ReceiveBuffers.Pool.Return(buffer);
        }
    }

    /// <summary>
    /// The next message and the rented buffer its blocks slice; null when the stream ended, went
    /// idle or sent garbage (then it was reset and the peer penalised).
    /// </summary>
    private async Task<(BitswapMessage Message, byte[] Buffer)?> ReadMessageAsync(PeerStream stream, PeerId peer, CancellationTokenSource idle, CancellationToken cancellationToken)
    {
        idle.CancelAfter(_options.InboundIdleTimeout);
        byte[]? buffer = null;
        try
        {
            if (await MessageReader.ReadAsync(stream.Input, idle.Token).ConfigureAwait(false) is not (byte[] bytes, int length))
            {
                return null;
            }
            buffer = bytes;
            var message = BitswapMessage.Decode(bytes.AsMemory(0, length));
            buffer = null;
            return (message, bytes);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _metrics.Reject(BitswapRejectReason.IdleStream);
            return null;
        }
        catch (MalformedDataException e)
        {
            var reason = e is LimitExceededException ? BitswapRejectReason.LimitExceeded : BitswapRejectReason.MalformedMessage;
            _metrics.Reject(reason);
            BitswapLog.MessageRefused(_logger, peer.ToString(), reason, e.Message);
            Penalise(peer, reason);
            // Reset here: the host would dispose the stream (a clean FIN) before resetting it.
            stream.Reset();
            return null;
        }
        finally
        {
            if (buffer is not null)
            {
                ReceiveBuffers.Pool.Return(buffer);
            }
        }
    }

    private void OnConnected(PeerConnection connection)
    {
        var peer = connection.RemotePeer;
        if (IsBanned(peer))
        {
            _metrics.Reject(BitswapRejectReason.BannedPeer);
            CutOff(peer);
            return;
        }
        if (_connected.TryAdd(peer, 0))
        {
            PeerConnected?.Invoke(peer);
        }
    }

    private void OnDisconnected(PeerConnection connection)
    {
        var peer = connection.RemotePeer;
        if (_host.IsConnected(peer))
        {
            return;
        }
        lock (_peersLock)
        {
            if (!_connected.TryRemove(peer, out _))
            {
                return;
            }
            if (_senders.Remove(peer, out var sender))
            {
                sender.Stop();
            }
        }
        _notBitswap.TryRemove(peer, out _);
        _strikes.TryRemove(peer, out _);
        PeerDisconnected?.Invoke(peer);
    }

    private void CutOff(PeerId peer) => _tasks.Run($"cut off {peer}", async token =>
    {
        foreach (var connection in _host.Connections.Where(c => c.RemotePeer == peer))
        {
            await connection.Muxer.CloseAsync(token).ConfigureAwait(false);
        }
    });

    public ValueTask DisposeAsync()
    {
        foreach (var protocol in BitswapProtocols.All)
        {
            _host.RemoveStreamHandler(protocol);
        }
        _host.Connected -= OnConnected;
        _host.Disconnected -= OnDisconnected;
        lock (_peersLock)
        {
            foreach (var sender in _senders.Values)
            {
                sender.Stop();
            }
            _senders.Clear();
            _connected.Clear();
        }
        return ValueTask.CompletedTask;
    }
}
