// Spec: specs/stream-protocol.md §3 (control messages).
using Overlay.Manifest.Streams;

namespace Overlay.Streams;

/// <summary>One decoded control message; which fields are set depends on <see cref="Kind"/>.</summary>
public sealed record StreamMessage
{
    public required StreamMessageKind Kind { get; init; }

    /// <summary>HEAD: the head block's bytes, not yet verified.</summary>
    public ReadOnlyMemory<byte> Head { get; init; }

    /// <summary>HAVE: the size of the head the ranges refer to.</summary>
    public long HeadSize { get; init; }

    /// <summary>HAVE: held leaf ranges, each [start, end), ascending and disjoint.</summary>
    public IReadOnlyList<LeafRange> Ranges { get; init; } = [];
}
