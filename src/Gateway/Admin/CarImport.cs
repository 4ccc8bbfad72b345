// Format: https://ipld.io/specs/transport/car/carv1/ (read by Overlay.Manifest.Car.CarReader)
using Overlay.Blocks;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Car;
using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Admin;

/// <summary>
/// The blocks of one <c>dag/import</c> request: each CAR's sections verified and stored in
/// turn, the roots gathered (each once), and the blocks that were not in the repo before
/// remembered (<see cref="Added"/>), so a request that fails part-way can take them out again.
/// </summary>
internal sealed class CarImport(IBlockStore target, FileBlockStore repoBlocks)
{
    private readonly List<Cid> _roots = [];
    private readonly List<Cid> _added = [];

    public IReadOnlyList<Cid> Roots => _roots;

    public long BlockCount { get; private set; }

    public long ByteCount { get; private set; }

    /// <summary>Stores every block of the CAR on <paramref name="car"/>; bad CAR bytes are the client's error.</summary>
    public async Task ReadAsync(Stream car, CancellationToken cancellationToken)
    {
        CarReader reader;
        try
        {
            reader = await CarReader.OpenAsync(car, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MalformedDataException or LimitExceededException or VerificationException)
        {
            throw new ApiArgumentException($"invalid CAR: {e.Message}", e);
        }
        var blocks = reader.ReadBlocksAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (blocks.ConfigureAwait(false))
        {
            while (await NextAsync(blocks).ConfigureAwait(false))
            {
                var block = blocks.Current;
                if (!await repoBlocks.HasAsync(block.Cid, cancellationToken).ConfigureAwait(false))
                {
                    _added.Add(block.Cid);
                }
                await target.PutAsync(block.Cid, block.Data, cancellationToken).ConfigureAwait(false);
                BlockCount++;
                ByteCount += block.Data.Length;
            }
        }
        _roots.AddRange(reader.Roots.Where(r => !_roots.Contains(r)));
    }

    /// <summary>The blocks this import stored that were not in the repo before it.</summary>
    public IReadOnlyCollection<Cid> Added => _added;

    private static async Task<bool> NextAsync(IAsyncEnumerator<CarBlock> blocks)
    {
        try
        {
            return await blocks.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is MalformedDataException or LimitExceededException or VerificationException)
        {
            throw new ApiArgumentException($"invalid CAR: {e.Message}", e);
        }
    }
}
