namespace Overlay.Muxing;

/// <summary>Why a muxed connection ended.</summary>
public enum MuxerCloseKind
{
    /// <summary>We closed it (CloseAsync or DisposeAsync).</summary>
    Local,

    /// <summary>The remote said it is going away; the error code says why.</summary>
    RemoteGoAway,

    /// <summary>The remote broke the protocol; we told it so (go-away with a protocol error) and hung up.</summary>
    ProtocolViolation,

    /// <summary>The transport underneath ended or failed without a go-away.</summary>
    TransportClosed,

    /// <summary>The remote did not answer a keep-alive ping in time.</summary>
    KeepAliveTimeout,

    /// <summary>A failure on our side (a bug); we told the remote (go-away with an internal error).</summary>
    InternalError,
}
