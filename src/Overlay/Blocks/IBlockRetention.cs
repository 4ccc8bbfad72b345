using Overlay.Manifest.Multiformats;

namespace Overlay.Blocks;

/// <summary>What must survive eviction (the blocks the pins reach) and what goes last (class-ranked tiers). <see cref="PinStore"/> is the one implementation.</summary>
internal interface IBlockRetention
{
    /// <summary>Held while eviction picks and removes blocks, so a pin cannot commit in between.</summary>
    Task<IDisposable> LockAsync(CancellationToken cancellationToken);

    /// <summary>Every block reachable from a pin (call under <see cref="LockAsync"/>).</summary>
    ValueTask<IReadOnlySet<Multihash>> ProtectedAsync(CancellationToken cancellationToken);

    /// <summary>Blocks evicted only after every other unprotected block, in these tiers, first to last (call under <see cref="LockAsync"/>).</summary>
    ValueTask<IReadOnlyList<IReadOnlySet<Multihash>>> TiersAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<IReadOnlySet<Multihash>>>([]);
}
