using System.Threading.Channels;
using Overlay.Manifest.Keys;
using Overlay.PubSub.Rpc;

namespace Overlay.PubSub;

/// <summary>
/// A peer we have an outbound pubsub stream to: the protocol it chose, the topics it announced,
/// and a bounded queue of encoded RPCs drained by one writer task.
/// </summary>
internal sealed class PubSubPeer
{
    private readonly Channel<byte[]> _queue;

    public PubSubPeer(PeerId id, string protocol, int queueLength)
    {
        Id = id;
        Protocol = protocol;
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(queueLength)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
    }

    public PeerId Id { get; }

    public string Protocol { get; }

    public bool IsFloodsub => Protocol == Floodsub.FloodsubRouter.ProtocolId;

    public HashSet<string> Topics { get; } = new(StringComparer.Ordinal);

    public ChannelReader<byte[]> Outbox => _queue.Reader;

    /// <summary>True once our outbound stream drains <see cref="Outbox"/>; until then RPCs wait in the queue.</summary>
    public bool HasWriter { get; set; }

    public bool TryTakeNext(out byte[] rpc) => _queue.Reader.TryRead(out rpc!);

    public long Dropped;

    /// <summary>Queues an RPC; false (and counted) when the peer is not keeping up.</summary>
    public bool Send(PubSubRpc rpc)
    {
        if (rpc.IsEmpty)
        {
            return true;
        }
        return SendEncoded(PubSubRpcCodec.Encode(rpc));
    }

    /// <summary>Queues an RPC encoded once for many peers (a forwarded message is the same bytes for all).</summary>
    public bool SendEncoded(byte[] rpc)
    {
        if (_queue.Writer.TryWrite(rpc))
        {
            return true;
        }
        Interlocked.Increment(ref Dropped);
        return false;
    }

    public void Close() => _queue.Writer.TryComplete();

    public override string ToString() => $"{Id} ({Protocol})";
}
