using Overlay.Manifest.Multiformats;

namespace Overlay.Blocks;

/// <summary>
/// What a <see cref="FileBlockStore"/> knows about its files, kept in memory: each block's size,
/// when it was last used (an LRU clock, seeded from the files' mtimes at open because atime is
/// unreliable under relatime) and the put sequence number GC compares with its start; the byte
/// total; bytes reserved by puts still writing; and the leases of operations in flight. All state
/// is guarded by <see cref="Gate"/>; callers hold it only for memory updates and single unlinks.
/// </summary>
internal sealed class BlockIndex
{
    private readonly Dictionary<Multihash, Entry> _entries = [];
    private readonly Dictionary<Multihash, int> _leases = [];
    private long _clock;
    private long _sequence;

    public object Gate { get; } = new();

    /// <summary>Bytes of the blocks on disk.</summary>
    public long Bytes { get; private set; }

    /// <summary>Bytes promised to puts that are still writing.</summary>
    public long Reserved { get; private set; }

    public int Count => _entries.Count;

    /// <summary>The put sequence so far: blocks put or re-put after this value are newer.</summary>
    public long Sequence => _sequence;

    /// <summary>Adds a block found by the opening scan; <paramref name="mtimeOrder"/> orders its LRU position.</summary>
    public void AddScanned(Multihash hash, long size, long mtimeOrder)
    {
        if (_entries.TryAdd(hash, new Entry { Size = size, LastUse = mtimeOrder }))
        {
            Bytes += size;
            _clock = Math.Max(_clock, mtimeOrder);
        }
    }

    /// <summary>Marks a present block used by a put: newest for LRU and for GC's "put after start" rule.</summary>
    public bool TryTouchForPut(Multihash hash)
    {
        if (!_entries.TryGetValue(hash, out var entry))
        {
            return false;
        }
        entry.LastUse = ++_clock;
        entry.Sequence = ++_sequence;
        return true;
    }

    public void TouchForRead(Multihash hash, long size)
    {
        if (_entries.TryGetValue(hash, out var entry))
        {
            entry.LastUse = ++_clock;
        }
        else
        {
            // A file another writer placed after the scan: count it from now on.
            _entries.Add(hash, new Entry { Size = size, LastUse = ++_clock, Sequence = ++_sequence });
            Bytes += size;
        }
    }

    public void Reserve(long size) => Reserved += size;

    /// <summary>A put finished (or failed): its reservation ends and, if written, the block is counted.</summary>
    public void Complete(Multihash hash, long size, bool written)
    {
        Reserved -= size;
        if (written)
        {
            if (_entries.TryGetValue(hash, out var entry))
            {
                entry.LastUse = ++_clock;
                entry.Sequence = ++_sequence;
            }
            else
            {
                _entries.Add(hash, new Entry { Size = size, LastUse = ++_clock, Sequence = ++_sequence });
                Bytes += size;
            }
        }
    }

    public long Remove(Multihash hash)
    {
        if (!_entries.Remove(hash, out var entry))
        {
            return 0;
        }
        Bytes -= entry.Size;
        return entry.Size;
    }

    public void Lease(Multihash hash) => _leases[hash] = _leases.GetValueOrDefault(hash) + 1;

    public void Release(Multihash hash)
    {
        var count = _leases.GetValueOrDefault(hash);
        if (count <= 1)
        {
            _leases.Remove(hash);
        }
        else
        {
            _leases[hash] = count - 1;
        }
    }

    /// <summary>May GC remove this block: present, not leased, and not put since <paramref name="gcStart"/>.</summary>
    public bool IsCollectable(Multihash hash, long gcStart) =>
        _entries.TryGetValue(hash, out var entry) && entry.Sequence <= gcStart && !_leases.ContainsKey(hash);

    public Multihash[] Snapshot() => [.. _entries.Keys];

    /// <summary>Eviction candidates, least recently used first, skipping protected and leased blocks (and, when given, blocks outside <paramref name="only"/>).</summary>
    public IEnumerable<(Multihash Hash, long Size)> EvictionOrder(IReadOnlySet<Multihash> protectedBlocks, IReadOnlySet<Multihash>? only = null) =>
        _entries
            .Where(e => (only is null || only.Contains(e.Key)) && !protectedBlocks.Contains(e.Key) && !_leases.ContainsKey(e.Key))
            .OrderBy(e => e.Value.LastUse)
            .Select(e => (e.Key, e.Value.Size))
            .ToArray();

    private sealed class Entry
    {
        public long Size;
        public long LastUse;
        public long Sequence;
    }
}
