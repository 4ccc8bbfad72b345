// Spec: https://github.com/libp2p/specs/blob/master/pubsub/README.md#the-message
namespace Overlay.PubSub.Rpc;

/// <summary>
/// A published message as it travels. Fields are null when absent on the wire, because the
/// signature covers the exact fields present (an empty <see cref="Data"/> differs from none).
/// </summary>
public sealed record RpcMessage
{
    /// <summary>The author's peer ID bytes.</summary>
    public byte[]? From { get; init; }

    public byte[]? Data { get; init; }

    /// <summary>8 bytes, big-endian, unique per author.</summary>
    public byte[]? Seqno { get; init; }

    public string? Topic { get; init; }

    public byte[]? Signature { get; init; }

    /// <summary>The author's public key protobuf, only when the peer ID does not inline it.</summary>
    public byte[]? Key { get; init; }
}
