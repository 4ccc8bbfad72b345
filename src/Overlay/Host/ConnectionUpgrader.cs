// Spec: https://github.com/libp2p/specs/blob/master/connections/README.md#upgrading-connections
using Overlay.Manifest.Keys;
using Overlay.Muxing;
using Overlay.Muxing.Yamux;
using Overlay.Negotiation;
using Overlay.Security;
using Overlay.Security.Noise;
using Overlay.Transport;

namespace Overlay.Host;

/// <summary>Raw connection → multistream(/noise) → Noise → multistream(/yamux/1.0.0) → yamux.</summary>
internal sealed class ConnectionUpgrader
{
    private readonly ISecureTransport _security;
    private readonly HostOptions _options;

    public ConnectionUpgrader(HostOptions options)
    {
        _options = options;
        _security = new NoiseSecureTransport(options.Identity);
    }

    public async Task<PeerConnection> UpgradeOutboundAsync(IConnection connection, PeerId? expectedPeer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.UpgradeTimeout);
        await MultistreamSelect.SelectAsync(connection, [_security.ProtocolId], timeout.Token).ConfigureAwait(false);
        var secure = await _security.SecureOutboundAsync(connection, expectedPeer, timeout.Token).ConfigureAwait(false);
        try
        {
            await MultistreamSelect.SelectAsync(secure, [YamuxSession.ProtocolId], timeout.Token).ConfigureAwait(false);
            IMuxedConnection muxer = new YamuxSession(secure, isInitiator: true, _options.Yamux);
            return new PeerConnection(secure, muxer, isInbound: false, _options.StreamNegotiationTimeout);
        }
        catch
        {
            await secure.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<PeerConnection> UpgradeInboundAsync(IConnection connection, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.UpgradeTimeout);
        await MultistreamSelect.HandleAsync(connection, [_security.ProtocolId], timeout.Token).ConfigureAwait(false);
        var secure = await _security.SecureInboundAsync(connection, timeout.Token).ConfigureAwait(false);
        try
        {
            await MultistreamSelect.HandleAsync(secure, [YamuxSession.ProtocolId], timeout.Token).ConfigureAwait(false);
            IMuxedConnection muxer = new YamuxSession(secure, isInitiator: false, _options.Yamux);
            return new PeerConnection(secure, muxer, isInbound: true, _options.StreamNegotiationTimeout);
        }
        catch
        {
            await secure.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
