// Spec: specs/sync.md (delay-tolerant sync, /overlay/sync/1.0.0).
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Overlay.Blocks;
using Overlay.Host;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Manifest.Streams;
using Overlay.Negotiation;
using Overlay.Protocols;

namespace Overlay.Streams.Sync;

/// <summary>
/// Delay-tolerant sync: on every new connection and every <see cref="SyncOptions.Interval"/>
/// while connected, this node opens <c>/overlay/sync/1.0.0</c> to the peer, sends a summary of
/// what it holds and takes what the peer pushes (<see cref="SyncReceiver"/>); the peer does the
/// same the other way, and this node answers its summary with pushes (<see cref="SyncSender"/>).
/// So a stream crosses A→R→C although A and C never meet. Background work is owned and awaited
/// on dispose.
/// </summary>
public sealed class SyncService : IAsyncDisposable
{
    public const string ProtocolId = "/overlay/sync/1.0.0";

    private readonly Libp2pHost _host;
    private readonly StreamService _streams;
    private readonly ILogger _logger;
    private readonly BackgroundTasks _tasks;
    private readonly ConcurrentDictionary<PeerId, byte> _running = new();
    private readonly ConcurrentDictionary<PeerId, byte> _serving = new();
    private readonly ConcurrentDictionary<PeerConnection, byte> _unsupported = new();
    private readonly SyncSender _sender;
    private readonly SyncReceiver _receiver;

    /// <param name="repoBlocks">The repo's store, to lease pushed blocks from their put until their bundle is held (eviction and GC leave them alone meanwhile).</param>
    public SyncService(Libp2pHost host, StreamService streams, SyncOptions? options = null, ILogger? logger = null, FileBlockStore? repoBlocks = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(streams);
        _host = host;
        _streams = streams;
        Options = options ?? new SyncOptions();
        _logger = logger ?? NullLogger.Instance;
        _tasks = new BackgroundTasks(_logger);
        _sender = new SyncSender(streams, Options, Metrics, _logger);
        _receiver = new SyncReceiver(streams, Options, Metrics, _logger, repoBlocks);
        host.SetStreamHandler(ProtocolId, ServeAsync);
        host.Connected += OnConnected;
        host.Disconnected += OnDisconnected;
        _tasks.Run("sync timer", RepeatAsync);
    }

    public SyncOptions Options { get; }

    public SyncMetrics Metrics { get; } = new();

    /// <summary>
    /// One session with <paramref name="connection"/>'s peer: our summary, then its pushes until its
    /// end frame. Returns at once when a session with that peer is already running or the peer
    /// does not speak the protocol.
    /// </summary>
    public async Task SyncAsync(PeerConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var peer = connection.RemotePeer;
        if (_unsupported.ContainsKey(connection) || !_running.TryAdd(peer, 0))
        {
            return;
        }
        var opened = false;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _tasks.Stopping);
            timeout.CancelAfter(Options.SessionTimeout);
            PeerStream stream;
            try
            {
                stream = await connection.OpenStreamAsync([ProtocolId], timeout.Token).ConfigureAwait(false);
            }
            catch (NegotiationException)
            {
                // A plain IPFS peer (kubo, Helia): nothing to sync with.
                _unsupported.TryAdd(connection, 0);
                return;
            }
            await using (stream.ConfigureAwait(false))
            {
                Metrics.SessionOpened();
                opened = true;
                LengthPrefixedMessage.Write(stream.Output, SyncCodec.EncodeSummary(Summarize()));
                await stream.Output.FlushAsync(timeout.Token).ConfigureAwait(false);
                await stream.Output.CompleteAsync().ConfigureAwait(false);
                await _receiver.ReceiveAsync(stream.Input, peer, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OverlayException or IOException or InvalidOperationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A link that drops mid-session is what this protocol is for: what was verified is kept.
            SyncLog.Ended(_logger, peer.ToString(), e.Message);
        }
        finally
        {
            if (opened)
            {
                Metrics.SessionEnded();
            }
            _running.TryRemove(peer, out _);
        }
    }

    /// <summary>Syncs with every connected peer now (sessions already running are left alone).</summary>
    public Task SyncAllAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_host.Connections.Select(c => SyncAsync(c, cancellationToken)));

    /// <summary>
    /// Our side of a summary: per stream with a verified, unexpired head, the head and the held
    /// (or known expired) leaves as ranges; at most <see cref="SyncLimits.MaxSummaryEntries"/> streams (own first,
    /// then by address) and <see cref="SyncLimits.MaxRangesPerEntry"/> ranges each (the first).
    /// </summary>
    internal SyncSummary Summarize()
    {
        var now = _streams.Options.Clock.GetUtcNow();
        var entries = new List<SyncSummaryEntry>();
        foreach (var follower in _streams.Followers().OrderBy(f => !f.Own).ThenBy(f => f.Address, StringComparer.Ordinal))
        {
            var (head, held) = follower.Holdings();
            if (head is null || head.Head.IsExpired(now))
            {
                continue;
            }
            // Leaves known expired are listed too: the peer has no reason to push them either.
            var listed = held.Concat(follower.ExpiredLeaves().Where(seq => seq < head.Head.Size)).Order();
            entries.Add(new SyncSummaryEntry(head.Bytes, LeafRanges.Of(listed, SyncLimits.MaxRangesPerEntry)));
            if (entries.Count == SyncLimits.MaxSummaryEntries)
            {
                break;
            }
        }
        var carry = Options.CarryNew && _streams.Followers().Count(f => f.Carried) < Options.MaxCarriedStreams;
        return new SyncSummary(entries, carry);
    }

    private async Task ServeAsync(PeerStream stream, CancellationToken cancellationToken)
    {
        var peer = stream.RemotePeer;
        if (_serving.Count >= SyncLimits.MaxServedSessions || !_serving.TryAdd(peer, 0))
        {
            Metrics.Refuse(SyncRejection.Busy);
            SyncLog.Refused(_logger, peer.ToString(), SyncRejection.Busy, "a sync session with this peer (or too many in all) is already being answered");
            stream.Reset();
            return;
        }
        try
        {
            await AnswerAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _serving.TryRemove(peer, out _);
        }
    }

    private async Task AnswerAsync(PeerStream stream, CancellationToken cancellationToken)
    {
        Metrics.SessionServed();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _tasks.Stopping);
        timeout.CancelAfter(Options.SessionTimeout);
        SyncSummary summary;
        try
        {
            var bytes = await LengthPrefixedMessage.ReadAsync(stream.Input, SyncLimits.MaxSummaryBytes, SyncCodec.Format, timeout.Token).ConfigureAwait(false)
                ?? throw new MalformedDataException(SyncCodec.Format, "the stream ended before a summary");
            summary = SyncCodec.DecodeSummary(bytes);
        }
        catch (MalformedDataException e)
        {
            Metrics.Refuse(SyncRejection.Malformed);
            SyncLog.Refused(_logger, stream.RemotePeer.ToString(), SyncRejection.Malformed, $"summary: {e.Message}");
            stream.Reset();
            return;
        }
        await _sender.PushAsync(stream.Output, summary, stream.RemotePeer, timeout.Token).ConfigureAwait(false);
        await stream.Output.CompleteAsync().ConfigureAwait(false);
    }

    private void OnConnected(PeerConnection connection) =>
        _tasks.Run($"sync with {connection.RemotePeer}", token => SyncAsync(connection, token));

    private void OnDisconnected(PeerConnection connection) => _unsupported.TryRemove(connection, out _);

    private async Task RepeatAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.Interval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var connection in _host.Connections)
            {
                _tasks.Run($"sync with {connection.RemotePeer}", token => SyncAsync(connection, token));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _host.Connected -= OnConnected;
        _host.Disconnected -= OnDisconnected;
        _host.RemoveStreamHandler(ProtocolId);
        await _tasks.DisposeAsync().ConfigureAwait(false);
    }
}
