// Spec: specs/sync.md §2.2 (push frames).
using Overlay.Manifest.Keys;

namespace Overlay.Streams.Sync;

/// <summary>
/// One push frame: a head block (<see cref="Data"/>), a block (<see cref="Data"/>), the end of a
/// bundle's blocks (<see cref="Stream"/> and <see cref="Seq"/>), or the end of the push.
/// </summary>
public sealed record SyncFrame
{
    public required SyncFrameKind Kind { get; init; }

    public ReadOnlyMemory<byte> Data { get; init; }

    public PeerId? Stream { get; init; }

    public long Seq { get; init; }
}
