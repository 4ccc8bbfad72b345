// Spec: https://ipld.io/specs/transport/car/carv1/
using Overlay.Manifest.Blocks;

namespace Overlay.Manifest.Car;

/// <summary>Loads every block of a CAR into a store, verified unless the options say otherwise.</summary>
public static class CarImporter
{
    /// <summary>Imports the blocks and returns the CAR's header; blocks stream, one in memory at a time.</summary>
    public static async Task<CarHeader> ImportAsync(Stream car, IBlockStore store, CarReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var reader = await CarReader.OpenAsync(car, options, cancellationToken).ConfigureAwait(false);
        await foreach (var block in reader.ReadBlocksAsync(cancellationToken).ConfigureAwait(false))
        {
            await store.PutAsync(block.Cid, block.Data, cancellationToken).ConfigureAwait(false);
        }
        return reader.Header;
    }
}
