using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Ipfs;

/// <summary>
/// One request's memory of the blocks it already read: answering a file reads its root for the
/// size, its first bytes for the content type, then the same blocks again for the body, and each
/// read from the repo is a file read plus a hash check. Blocks are kept up to
/// <paramref name="maxBytes"/> in all and only until <see cref="Forget"/> (called once the body is
/// under way), so a long download holds nothing extra while it streams.
/// </summary>
internal sealed class RequestBlockMemo(IBlockStore inner, int maxBytes) : ForwardingBlockStore(inner)
{
    private readonly Dictionary<Cid, ReadOnlyMemory<byte>> _blocks = [];
    private readonly Lock _gate = new();
    private long _bytes;
    private bool _forgotten;

    /// <summary>Reads the repo or network for a block not already read by this request.</summary>
    public override async ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_blocks.TryGetValue(cid, out var known))
            {
                return known;
            }
        }
        var block = await Inner.GetAsync(cid, cancellationToken).ConfigureAwait(false);
        if (block is { } data)
        {
            lock (_gate)
            {
                if (!_forgotten && _bytes + data.Length <= maxBytes && _blocks.TryAdd(cid, data))
                {
                    _bytes += data.Length;
                }
            }
        }
        return block;
    }

    /// <summary>Drops what is held and keeps nothing from now on.</summary>
    public void Forget()
    {
        lock (_gate)
        {
            _forgotten = true;
            _blocks.Clear();
            _bytes = 0;
        }
    }
}
