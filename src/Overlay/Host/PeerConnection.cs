using Overlay.Addressing;
using Overlay.Manifest.Keys;
using Overlay.Muxing;
using Overlay.Negotiation;
using Overlay.Security;

namespace Overlay.Host;

/// <summary>An upgraded connection to one authenticated peer: secure channel plus stream muxer.</summary>
public sealed class PeerConnection : IAsyncDisposable
{
    private readonly ISecureConnection _secure;
    private readonly TimeSpan _negotiationTimeout;
    private int _inboundStreams;

    internal PeerConnection(ISecureConnection secure, IMuxedConnection muxer, bool isInbound, TimeSpan negotiationTimeout)
    {
        _secure = secure;
        Muxer = muxer;
        IsInbound = isInbound;
        _negotiationTimeout = negotiationTimeout;
        Opened = DateTimeOffset.UtcNow;
    }

    public PeerId RemotePeer => _secure.RemotePeer;

    public PublicKey RemotePublicKey => _secure.RemotePublicKey;

    public Multiaddr RemoteAddress => _secure.RemoteAddress;

    public Multiaddr LocalAddress => _secure.LocalAddress;

    public bool IsInbound { get; }

    public DateTimeOffset Opened { get; }

    public IMuxedConnection Muxer { get; }

    public CancellationToken Closed => Muxer.Closed;

    internal int InboundStreams => Volatile.Read(ref _inboundStreams);

    internal int EnterInboundStream() => Interlocked.Increment(ref _inboundStreams);

    internal void LeaveInboundStream() => Interlocked.Decrement(ref _inboundStreams);

    /// <summary>Opens a stream and negotiates the first of <paramref name="protocols"/> the peer supports.</summary>
    public async Task<PeerStream> OpenStreamAsync(IReadOnlyList<string> protocols, CancellationToken cancellationToken)
    {
        var stream = await Muxer.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_negotiationTimeout);
            var protocol = await MultistreamSelect.SelectAsync(new StreamPipe(stream), protocols, timeout.Token).ConfigureAwait(false);
            return new PeerStream(stream, protocol, this);
        }
        catch
        {
            stream.Reset();
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override string ToString() => $"{RemotePeer} via {RemoteAddress} ({(IsInbound ? "inbound" : "outbound")})";

    public async ValueTask DisposeAsync()
    {
        await Muxer.DisposeAsync().ConfigureAwait(false);
        await _secure.DisposeAsync().ConfigureAwait(false);
    }

    internal sealed class StreamPipe(IMuxedStream stream) : System.IO.Pipelines.IDuplexPipe
    {
        public System.IO.Pipelines.PipeReader Input => stream.Input;
        public System.IO.Pipelines.PipeWriter Output => stream.Output;
    }
}
