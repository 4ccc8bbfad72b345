using System.Runtime.CompilerServices;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Tests.UnixFs;

/// <summary>A store wrapper that counts reads and can corrupt or hide chosen blocks.</summary>
internal sealed class InstrumentedStore(IBlockStore inner) : IBlockStore
{
    private int _gets;

    public int Gets => Volatile.Read(ref _gets);

    public HashSet<Cid> Tampered { get; } = [];

    public HashSet<Cid> Hidden { get; } = [];

    public ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => inner.PutAsync(cid, data, cancellationToken);

    public async ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _gets);
        if (Hidden.Contains(cid))
        {
            return null;
        }
        var data = await inner.GetAsync(cid, cancellationToken);
        if (data is { Length: > 0 } bytes && Tampered.Contains(cid))
        {
            var copy = bytes.ToArray();
            copy[copy.Length / 2] ^= 0x01;
            return copy;
        }
        return data;
    }

    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => inner.HasAsync(cid, cancellationToken);

    public ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default) => inner.GetSizeAsync(cid, cancellationToken);

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default) => inner.DeleteAsync(cid, cancellationToken);

    public async IAsyncEnumerable<Cid> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var cid in inner.ListAsync(cancellationToken))
        {
            yield return cid;
        }
    }
}
