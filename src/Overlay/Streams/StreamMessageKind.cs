namespace Overlay.Streams;

/// <summary>The control messages of a stream's topic (specs/stream-protocol.md §3).</summary>
public enum StreamMessageKind
{
    /// <summary>A signed tree head block, inline.</summary>
    Head,

    /// <summary>The leaf ranges the sender holds verified, under the head of a given size.</summary>
    Have,

    /// <summary>Asks holders for the newest head (the late joiner's path).</summary>
    Request,
}
