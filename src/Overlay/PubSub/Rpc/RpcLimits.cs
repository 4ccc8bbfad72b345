namespace Overlay.PubSub.Rpc;

/// <summary>Bounds applied while decoding one RPC, before anything of a declared size is allocated.</summary>
public sealed record RpcLimits
{
    /// <summary>One RPC on the wire; js and go gossipsub default to 1 MiB too.</summary>
    public int MaxRpcSize { get; init; } = 1 << 20;

    /// <summary>
    /// The data of one message: the RPC limit less room for the envelope (from, seqno, topic,
    /// signature, key), so a maximal message still fits one RPC on our side and on js/go peers.
    /// </summary>
    public int MaxDataSize { get; init; } = (1 << 20) - 16 * 1024;

    /// <summary>Topic names; long enough for any sane name, short enough that names cannot be a memory sink.</summary>
    public int MaxTopicLength { get; init; } = 256;

    /// <summary>Subscription changes per RPC.</summary>
    public int MaxSubscriptions { get; init; } = 1024;

    /// <summary>Messages per RPC.</summary>
    public int MaxMessages { get; init; } = 1024;

    /// <summary>Message IDs across all IHAVE, IWANT and IDONTWANT entries of one RPC (go's MaxIHaveLength is 5000).</summary>
    public int MaxMessageIds { get; init; } = 5000;

    /// <summary>One message ID; from + seqno is about 46 bytes.</summary>
    public int MaxMessageIdLength { get; init; } = 256;

    /// <summary>GRAFT, PRUNE and IHAVE/IWANT entries in one RPC.</summary>
    public int MaxControlEntries { get; init; } = 1024;

    /// <summary>Peers in one PRUNE's exchange list (js and go send at most 16).</summary>
    public int MaxPeerExchange { get; init; } = 64;

    /// <summary>A signed peer record in peer exchange.</summary>
    public int MaxSignedPeerRecord { get; init; } = 4096;

    public static RpcLimits Default { get; } = new();
}
