using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Gateway.Ipfs;

/// <summary>
/// Passes reads through and keeps, in first-read order and once each, the blocks a walk loaded,
/// so a CAR can carry exactly the blocks a verifier needs for the path and the byte range.
/// The caller drains <see cref="TakeRecorded"/> as it goes, so only blocks not yet written are held.
/// </summary>
internal sealed class RecordingBlockStore(IBlockStore inner) : ForwardingBlockStore(inner)
{
    private readonly HashSet<Cid> _seen = [];
    private readonly List<(Cid Cid, ReadOnlyMemory<byte> Data)> _pending = [];
    private readonly Lock _gate = new();

    /// <summary>Marks a block as already written, so it is not recorded again.</summary>
    public bool MarkSeen(Cid cid)
    {
        lock (_gate)
        {
            return _seen.Add(cid);
        }
    }

    public List<(Cid Cid, ReadOnlyMemory<byte> Data)> TakeRecorded()
    {
        lock (_gate)
        {
            var taken = new List<(Cid, ReadOnlyMemory<byte>)>(_pending);
            _pending.Clear();
            return taken;
        }
    }

    public override async ValueTask<ReadOnlyMemory<byte>?> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        var block = await Inner.GetAsync(cid, cancellationToken).ConfigureAwait(false);
        if (block is { } data)
        {
            lock (_gate)
            {
                if (_seen.Add(cid))
                {
                    _pending.Add((cid, data));
                }
            }
        }
        return block;
    }
}
