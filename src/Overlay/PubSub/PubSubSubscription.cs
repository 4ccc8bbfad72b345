using System.Threading.Channels;

namespace Overlay.PubSub;

/// <summary>
/// One subscriber's view of a topic: verified, validated messages in arrival order. Disposing it
/// unsubscribes (the topic is left when its last subscription goes).
/// </summary>
public sealed class PubSubSubscription : IDisposable
{
    private readonly Channel<PubSubMessage> _channel;
    private readonly Action<PubSubSubscription> _unsubscribe;
    private long _dropped;
    private int _disposed;

    internal PubSubSubscription(string topic, int bufferLength, Action<PubSubSubscription> unsubscribe)
    {
        Topic = topic;
        _unsubscribe = unsubscribe;
        _channel = Channel.CreateBounded<PubSubMessage>(
            new BoundedChannelOptions(bufferLength) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = false },
            _ => Interlocked.Increment(ref _dropped));
    }

    public string Topic { get; }

    public ChannelReader<PubSubMessage> Messages => _channel.Reader;

    /// <summary>Messages dropped because this reader fell more than the buffer behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void Deliver(PubSubMessage message) => _channel.Writer.TryWrite(message);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _unsubscribe(this);
            _channel.Writer.TryComplete();
        }
    }
}
