namespace Overlay.Host;

/// <summary>Serves one inbound stream of a protocol; the stream is disposed when the handler returns.</summary>
public delegate Task StreamHandler(PeerStream stream, CancellationToken cancellationToken);
