using Overlay.Manifest.Multiformats;

namespace Overlay.Blocks;

/// <summary>What must survive eviction: the blocks the pins reach. <see cref="PinStore"/> is the one implementation.</summary>
internal interface IBlockRetention
{
    /// <summary>Held while eviction picks and removes blocks, so a pin cannot commit in between.</summary>
    Task<IDisposable> LockAsync(CancellationToken cancellationToken);

    /// <summary>Every block reachable from a pin (call under <see cref="LockAsync"/>).</summary>
    ValueTask<IReadOnlySet<Multihash>> ProtectedAsync(CancellationToken cancellationToken);
}
