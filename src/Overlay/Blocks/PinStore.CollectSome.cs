using Overlay.Manifest.Multiformats;

namespace Overlay.Blocks;

public sealed partial class PinStore
{
    /// <summary>
    /// Garbage collection of <paramref name="candidates"/> only: each is removed when no pin
    /// reaches it and no <see cref="BlockOperation"/> holds it, by the rule and under the gate of
    /// <see cref="CollectGarbageAsync"/>; every other block stays. For taking back what a failed
    /// import stored (after releasing its own lease): a block another add, import or pin has come
    /// to use meanwhile is kept. Returns how many were removed.
    /// </summary>
    public async Task<int> CollectAsync(IReadOnlyCollection<Cid> candidates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var shards = new HashSet<string>(StringComparer.Ordinal);
        var removed = 0;
        try
        {
            // Pin changes wait on the gate, so the protected set cannot change under this sweep.
            var keep = await KeptUnderGateAsync(await ProtectedUnderGateAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            var start = _blocks.BeginCollection();
            foreach (var cid in candidates)
            {
                if (!keep.Contains(cid.Hash) && _blocks.TryCollect(cid.Hash, start, shards))
                {
                    removed++;
                }
            }
        }
        finally
        {
            _gate.Release();
            FileBlockStore.FlushFolders(shards);
        }
        return removed;
    }
}
