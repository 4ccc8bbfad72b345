using Overlay.Manifest.Keys;
using Overlay.Transport;

namespace Overlay.Security;

/// <summary>A connection whose remote peer is authenticated and whose bytes are encrypted.</summary>
public interface ISecureConnection : IConnection
{
    PeerId LocalPeer { get; }

    PeerId RemotePeer { get; }

    PublicKey RemotePublicKey { get; }
}
