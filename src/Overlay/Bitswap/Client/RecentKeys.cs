using Overlay.Manifest.Multiformats;

namespace Overlay.Bitswap.Client;

/// <summary>
/// The last N multihashes whose wants ended, with the session each belonged to, oldest forgotten
/// first (not thread-safe; used under the client's lock).
/// </summary>
internal sealed class RecentKeys(int capacity)
{
    private readonly Dictionary<Multihash, BitswapSession?> _sessions = [];
    private readonly Queue<Multihash> _order = new();

    public bool Contains(Multihash key) => _sessions.ContainsKey(key);

    public BitswapSession? SessionOf(Multihash key) => _sessions.GetValueOrDefault(key);

    public void Add(Multihash key, BitswapSession? session)
    {
        if (capacity <= 0 || !_sessions.TryAdd(key, session))
        {
            return;
        }
        _order.Enqueue(key);
        if (_order.Count > capacity)
        {
            _sessions.Remove(_order.Dequeue());
        }
    }
}
