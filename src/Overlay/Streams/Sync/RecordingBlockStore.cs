using System.Runtime.CompilerServices;
using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Streams.Sync;

/// <summary>
/// A read-only view that answers from <paramref name="staged"/> (blocks pushed in this session,
/// by multihash) first and then from <paramref name="inner"/>, and records every block it hands
/// out, in order. The sender learns from it which blocks a receiver needs to verify a bundle;
/// the receiver learns which staged blocks a verification used, so exactly those are stored.
/// </summary>
internal sealed class RecordingBlockStore(IBlockStore inner, IReadOnlyDictionary<Multihash, byte[]>? staged = null) : IBlockStore
{
    private readonly List<(Cid Cid, ReadOnlyMemory<byte> Data)> _read = [];
    private readonly HashSet<Multihash> _seen = [];

    /// <summary>Every distinct block read so far, in first-read order.</summary>
    public IReadOnlyList<(Cid Cid, ReadOnlyMemory<byte> Data)> Read => _read;

    public async ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ReadOnlyMemory<byte>? block = staged is not null && staged.TryGetValue(cid.Hash, out var bytes)
            ? bytes
            : await inner.GetAsync(cid, cancellationToken).ConfigureAwait(false);
        if (block is { } data)
        {
            lock (_read)
            {
                if (_seen.Add(cid.Hash))
                {
                    _read.Add((cid, data));
                }
            }
        }
        return block;
    }

    public ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("a recording view is read-only");

    public async ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) =>
        (staged?.ContainsKey(cid.Hash) ?? false) || await inner.HasAsync(cid, cancellationToken).ConfigureAwait(false);

    public async ValueTask<int?> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default) =>
        staged is not null && staged.TryGetValue(cid.Hash, out var bytes) ? bytes.Length : await inner.GetSizeAsync(cid, cancellationToken).ConfigureAwait(false);

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("a recording view is read-only");

    public async IAsyncEnumerable<Cid> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var cid in inner.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return cid;
        }
    }
}
