namespace Overlay.Blocks;

/// <summary>Limits and folders of a <see cref="FileBlockStore"/>.</summary>
public sealed record BlockStoreOptions
{
    /// <summary>kubo's default <c>Datastore.StorageMax</c> is 10 GB; ours is 10 GiB.</summary>
    public const long DefaultStorageMax = 10L << 30;

    /// <summary>The most bytes of blocks kept on disk; a put that would pass it evicts first.</summary>
    public long StorageMax { get; init; } = DefaultStorageMax;

    /// <summary>
    /// Eviction frees space down to this fraction of <see cref="StorageMax"/>, so a full store
    /// evicts in batches rather than once per put (kubo's GC watermark is 90% too).
    /// </summary>
    public double LowWaterFraction { get; init; } = 0.9;

    /// <summary>Where corrupt block files are moved; null: a <c>quarantine</c> folder beside the store's root.</summary>
    public string? QuarantinePath { get; init; }
}
