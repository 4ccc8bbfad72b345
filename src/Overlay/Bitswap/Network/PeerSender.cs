// Spec: https://specs.ipfs.tech/bitswap-protocol/#bitswap-1-2-0-interaction-pattern (responses on the sender's own stream, which MAY be reused)
using System.IO.Pipelines;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Overlay.Bitswap.Messages;
using Overlay.Host;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;
using Overlay.Negotiation;

namespace Overlay.Bitswap.Network;

/// <summary>
/// Everything we send to one peer goes through one loop: wantlist changes (coalesced, never
/// waiting) first, then queued block messages (bounded, so the server feels back-pressure). A
/// burst of messages shares one outbound stream, closed after a short linger; a failed stream
/// loses only the messages already written to it, which the peers' timeouts recover.
/// </summary>
internal sealed class PeerSender
{
    private readonly Libp2pHost _host;
    private readonly PeerId _peer;
    private readonly BitswapOptions _options;
    private readonly BitswapMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Action<PeerId> _notBitswap;
    private readonly Channel<BitswapMessage> _messages;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly List<BitswapWantlistEntry> _wants = [];
    private readonly CancellationTokenSource _stop = new();

    public PeerSender(Libp2pHost host, PeerId peer, BitswapOptions options, BitswapMetrics metrics, ILogger logger, Action<PeerId> notBitswap)
    {
        _host = host;
        _peer = peer;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _notBitswap = notBitswap;
        _messages = Channel.CreateBounded<BitswapMessage>(new BoundedChannelOptions(options.SendQueueLength)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public void EnqueueWants(IReadOnlyList<BitswapWantlistEntry> entries)
    {
        lock (_wants)
        {
            _wants.AddRange(entries);
        }
        _wake.Writer.TryWrite(true);
    }

    public async ValueTask SendAsync(BitswapMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _messages.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            _wake.Writer.TryWrite(true);
        }
        catch (ChannelClosedException)
        {
            // The peer is gone; what it wanted no longer matters.
        }
    }

    public void Stop()
    {
        _messages.Writer.TryComplete();
        _stop.Cancel();
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _stop.Token);
        var token = linked.Token;
        try
        {
            while (await _wake.Reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                _wake.Reader.TryRead(out _);
                if (HasWork)
                {
                    await SendBurstAsync(token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private bool HasWork
    {
        get
        {
            lock (_wants)
            {
                if (_wants.Count > 0)
                {
                    return true;
                }
            }
            return _messages.Reader.Count > 0;
        }
    }

    private async Task SendBurstAsync(CancellationToken cancellationToken)
    {
        var connection = _host.FindConnection(_peer);
        if (connection is null)
        {
            DropQueued();
            return;
        }
        PeerStream stream;
        try
        {
            stream = await connection.OpenStreamAsync(BitswapProtocols.All, cancellationToken).ConfigureAwait(false);
        }
        catch (NegotiationException)
        {
            BitswapLog.NotBitswap(_logger, _peer.ToString());
            _notBitswap(_peer);
            DropQueued();
            return;
        }
        catch (Exception e) when (e is OverlayException or IOException or InvalidOperationException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _metrics.SendFailed();
            BitswapLog.SendFailed(_logger, _peer.ToString(), e.Message);
            DropQueued();
            return;
        }
        var version = BitswapProtocols.VersionOf(stream.Protocol);
        try
        {
            while (true)
            {
                while (TryTake(out var message))
                {
                    await WriteAsync(stream.Output, message, version, cancellationToken).ConfigureAwait(false);
                }
                if (!await LingerAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }
            await stream.Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OverlayException or IOException or InvalidOperationException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            stream.Reset();
            _metrics.SendFailed();
            BitswapLog.SendFailed(_logger, _peer.ToString(), e.Message);
            // The message being written is lost; the rest go out on a fresh stream.
            _wake.Writer.TryWrite(true);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>True when more work arrived within the linger time.</summary>
    private async Task<bool> LingerAsync(CancellationToken cancellationToken)
    {
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linger.CancelAfter(_options.StreamLinger);
        try
        {
            await _wake.Reader.WaitToReadAsync(linger.Token).ConfigureAwait(false);
            _wake.Reader.TryRead(out _);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HasWork;
        }
    }

    private bool TryTake(out BitswapMessage message)
    {
        lock (_wants)
        {
            if (_wants.Count > 0)
            {
                var count = Math.Min(_wants.Count, BitswapLimits.MaxWantlistEntries);
                message = new BitswapMessage { Wantlist = _wants.GetRange(0, count) };
                _wants.RemoveRange(0, count);
                return true;
            }
        }
        return _messages.Reader.TryRead(out message!);
    }

    private async ValueTask WriteAsync(PipeWriter output, BitswapMessage message, BitswapProtocolVersion version, CancellationToken cancellationToken)
    {
        var length = message.GetEncodedLength(version);
        if (length > BitswapLimits.MaxMessageSize)
        {
            throw new InvalidOperationException($"a bitswap message of {length} bytes is past the 4 MiB limit");
        }
        ProtoOutput.WriteVarint(output, (ulong)length);
        message.WriteTo(output, version);
        var result = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw new IOException("the peer stopped reading the stream");
        }
        _metrics.MessageSent();
        foreach (var block in message.Blocks)
        {
            _metrics.BlockSent(block.Data.Length);
        }
    }

    private void DropQueued()
    {
        lock (_wants)
        {
            _wants.Clear();
        }
        while (_messages.Reader.TryRead(out _))
        {
        }
    }
}
