namespace Overlay.Streams.Sync;

/// <summary>The push frames of specs/sync.md §2.2.</summary>
public enum SyncFrameKind
{
    Head,
    Block,
    Bundle,
    End,
}
