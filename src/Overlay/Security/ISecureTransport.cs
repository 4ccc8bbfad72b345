using Overlay.Manifest.Keys;
using Overlay.Transport;

namespace Overlay.Security;

/// <summary>A security protocol negotiated by multistream-select (go-libp2p's SecureTransport: inbound, outbound, id).</summary>
public interface ISecureTransport
{
    string ProtocolId { get; }

    Task<ISecureConnection> SecureInboundAsync(IConnection connection, CancellationToken cancellationToken);

    /// <summary>Secures a dialled connection; throws when the remote is not <paramref name="expectedRemote"/> (if given).</summary>
    Task<ISecureConnection> SecureOutboundAsync(IConnection connection, PeerId? expectedRemote, CancellationToken cancellationToken);
}
