// Spec: specs/stream-protocol.md §2 (topic name).
using Overlay.Manifest.Keys;

namespace Overlay.Streams;

/// <summary>The pubsub topic of a stream: <c>/overlay/stream/1/</c> and the stream key's k51 name.</summary>
public static class StreamTopic
{
    public const string Prefix = "/overlay/stream/1/";

    public static string Of(PeerId stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Prefix + stream.ToBase36Name();
    }
}
