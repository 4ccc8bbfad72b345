namespace Overlay.PubSub;

/// <summary>
/// Message IDs seen recently, with the time first seen. Entries expire after a TTL; when a flood
/// of distinct IDs exceeds the capacity, the oldest are forgotten early. Not thread-safe.
/// </summary>
internal sealed class SeenCache(TimeSpan ttl, int capacity, TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset At)> _order = new();

    public int Count => _seen.Count;

    public static string KeyOf(ReadOnlySpan<byte> id) => Convert.ToBase64String(id);

    /// <summary>Adds the ID; false when it was already there.</summary>
    public bool TryAdd(string key)
    {
        var now = time.GetUtcNow();
        Expire(now);
        if (_seen.ContainsKey(key))
        {
            return false;
        }
        if (_seen.Count >= capacity && _order.TryDequeue(out var oldest))
        {
            _seen.Remove(oldest.Key);
        }
        _seen[key] = now;
        _order.Enqueue((key, now));
        return true;
    }

    public bool Contains(string key) => _seen.ContainsKey(key);

    public bool TryGetFirstSeen(string key, out DateTimeOffset at) => _seen.TryGetValue(key, out at);

    private void Expire(DateTimeOffset now)
    {
        while (_order.TryPeek(out var head) && now - head.At > ttl)
        {
            _order.Dequeue();
            _seen.Remove(head.Key);
        }
    }
}
