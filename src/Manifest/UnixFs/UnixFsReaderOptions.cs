namespace Overlay.Manifest.UnixFs;

/// <summary>Bounds and look-ahead of <see cref="UnixFsReader"/>.</summary>
public sealed record UnixFsReaderOptions
{
    public static UnixFsReaderOptions Default { get; } = new();

    /// <summary>
    /// Deepest DAG followed below the root. Balanced 1 MiB × 1024 files reach depth 3 at 1 PiB;
    /// 32 leaves room for trickle DAGs and deep directory trees while bounding the blocks held.
    /// </summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Sibling blocks requested ahead of the one being read (0 = strictly one at a time).</summary>
    public int Prefetch { get; init; } = 4;
}
