using Overlay.Manifest.Keys;

namespace Overlay.PubSub;

/// <summary>A verified message as subscribers and validators see it.</summary>
public sealed record PubSubMessage(string Topic, ReadOnlyMemory<byte> Data, PeerId From, ulong Seqno, ReadOnlyMemory<byte> MessageId, PeerId ReceivedFrom)
{
    /// <summary>True for messages this node published.</summary>
    public bool IsLocal { get; init; }
}
