using System.Runtime.CompilerServices;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Blocks;

/// <summary>
/// A store that keeps nothing and counts what it was given: importing into it computes CIDs
/// only (kubo's <c>--only-hash</c>) in constant memory, whatever the input size.
/// </summary>
public sealed class DiscardingBlockStore : IBlockStore
{
    private long _blockCount;
    private long _totalBytes;

    /// <summary>Blocks put so far, duplicates included.</summary>
    public long BlockCount => Interlocked.Read(ref _blockCount);

    /// <summary>Bytes put so far, duplicates included.</summary>
    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    public ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        Interlocked.Increment(ref _blockCount);
        Interlocked.Add(ref _totalBytes, data.Length);
        return ValueTask.CompletedTask;
    }

    public ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<ReadOnlyMemory<byte>?>(null);

    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);

    public ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default) => ValueTask.FromResult<int?>(null);

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public async IAsyncEnumerable<Cid> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield break;
    }
}
