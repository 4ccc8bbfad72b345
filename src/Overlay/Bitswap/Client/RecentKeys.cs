using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap.Client;

/// <summary>The last N multihashes whose wants ended, oldest forgotten first (not thread-safe; used under the client's lock).</summary>
internal sealed class RecentKeys(int capacity)
{
    private readonly HashSet<Multihash> _set = [];
    private readonly Queue<Multihash> _order = new();

    public bool Contains(Multihash key) => _set.Contains(key);

    public void Add(Multihash key)
    {
        if (capacity <= 0 || !_set.Add(key))
        {
            return;
        }
        _order.Enqueue(key);
        if (_order.Count > capacity)
        {
            _set.Remove(_order.Dequeue());
        }
    }
}
