using Overlay.Manifest.Blocks;
using Overlay.Manifest.Multiformats;

namespace Overlay.Blocks;

/// <summary>
/// A lease on the blocks one operation (an add, a fetch, a pin) is using, so garbage collection
/// and quota eviction leave them alone until the operation ends. Every block put, read or probed
/// through <see cref="Blocks"/> or a <see cref="Track"/>ed store is leased on first touch,
/// before the store is reached; <see cref="Lease"/> adds one by hand. Disposing releases them all.
/// <para>Usage:</para>
/// <code>
/// using var operation = repo.Blocks.BeginOperation();
/// var root = await new UnixFsImporter(operation.Blocks).ImportFileAsync(content);  // add
/// var reader = new UnixFsReader(operation.Track(networkBlockStore));               // get: fetched blocks leased too
/// await repo.Pins.AddAsync(root.Cid, recursive: true, operation.Blocks, ct);      // pin before the lease ends
/// </code>
/// GC also skips every block put after it started, so a lease matters for blocks that were
/// already present when an operation reused them (deduplicated puts, reads). Pin changes wait
/// for a running GC to finish, so "leased until pinned" protects a DAG from add to pin.
/// </summary>
public sealed class BlockOperation : IDisposable
{
    private readonly FileBlockStore _store;
    private readonly HashSet<Multihash> _held = [];
    private readonly object _gate = new();
    private bool _disposed;

    internal BlockOperation(FileBlockStore store)
    {
        _store = store;
        Blocks = new LeasingBlockStore(this, store);
    }

    /// <summary>The repo's store, leasing every block it touches.</summary>
    public IBlockStore Blocks { get; }

    /// <summary>How many distinct blocks this operation holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary><paramref name="inner"/> (e.g. a network-backed store over this repo), leasing every block it touches.</summary>
    public IBlockStore Track(IBlockStore inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new LeasingBlockStore(this, inner);
    }

    /// <summary>Protects <paramref name="cid"/>'s block until this operation is disposed.</summary>
    public void Lease(Cid cid)
    {
        ArgumentNullException.ThrowIfNull(cid);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_held.Add(cid.Hash))
            {
                _store.Lease(cid.Hash);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (var hash in _held)
            {
                _store.Release(hash);
            }
            _held.Clear();
        }
    }
}
