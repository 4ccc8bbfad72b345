using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Blocks;

/// <summary>An <see cref="IBlockStore"/> in memory, for tests, importers and `--only-hash`.</summary>
public sealed class MemoryBlockStore : IBlockStore
{
    private readonly ConcurrentDictionary<Multihash, byte[]> _blocks = new();

    public int Count => _blocks.Count;

    public long TotalBytes => _blocks.Values.Sum(b => (long)b.Length);

    public ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        _blocks.TryAdd(cid.Hash, data.ToArray());
        return ValueTask.CompletedTask;
    }

    // The cast matters: "? data : null" types as byte[], and a null byte[] converts to an
    // empty (present) ReadOnlyMemory, which would report a missing block as an empty one.
    public ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_blocks.TryGetValue(cid.Hash, out var data) ? new ReadOnlyMemory<byte>(data) : (ReadOnlyMemory<byte>?)null);

    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_blocks.ContainsKey(cid.Hash));

    public ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<int?>(_blocks.TryGetValue(cid.Hash, out var data) ? data.Length : null);

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        _blocks.TryRemove(cid.Hash, out _);
        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<Cid> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var hash in _blocks.Keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Cid.CreateV1(Multicodec.Raw, hash);
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }
}
