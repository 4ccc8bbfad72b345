using Overlay.Manifest.Errors;

namespace Overlay.Blocks;

/// <summary>
/// A put would take the store past <see cref="BlockStoreOptions.StorageMax"/> and every block
/// that could make room is pinned or in use. Nothing was written.
/// </summary>
public sealed class StorageQuotaExceededException : OverlayException
{
    public StorageQuotaExceededException(long storageMax, long used, long requested)
        : base($"block store quota exceeded: {used} of {storageMax} bytes in use, a put of {requested} bytes does not fit and nothing unpinned can be evicted (raise Datastore.StorageMax or unpin)")
    {
        StorageMax = storageMax;
        Used = used;
        Requested = requested;
    }

    public long StorageMax { get; }

    public long Used { get; }

    public long Requested { get; }
}
