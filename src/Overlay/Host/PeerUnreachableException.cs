using Overlay.Manifest.Errors;
using Overlay.Manifest.Keys;

namespace Overlay.Host;

/// <summary>No connection to the peer could be made.</summary>
public sealed class PeerUnreachableException : OverlayException
{
    public PeerUnreachableException(PeerId? peer, string message, Exception? inner = null)
        : base(peer is null ? message : $"{peer}: {message}", inner) => Peer = peer;

    public PeerId? Peer { get; }
}
