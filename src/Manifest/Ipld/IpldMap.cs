using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Ipld;

/// <summary>
/// A map with string keys. Entries keep the order they were given in; encoders apply their
/// codec's canonical order, so two maps with the same entries are equal whatever their order.
/// </summary>
public sealed class IpldMap : IpldNode
{
    public static readonly IpldMap Empty = new([]);

    private readonly KeyValuePair<string, IpldNode>[] _entries;
    private readonly Dictionary<string, IpldNode> _byKey;

    public IpldMap(IEnumerable<KeyValuePair<string, IpldNode>> entries)
    {
        _entries = entries.ToArray();
        _byKey = new Dictionary<string, IpldNode>(_entries.Length, StringComparer.Ordinal);
        foreach (var (key, value) in _entries)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(entries));
            ArgumentNullException.ThrowIfNull(value, nameof(entries));
            if (!_byKey.TryAdd(key, value))
            {
                throw new ArgumentException($"duplicate map key '{key}'", nameof(entries));
            }
        }
    }

    /// <summary>Convenience for literals: <c>IpldMap.Of(("a", 1), ("b", "x"))</c>.</summary>
    public static IpldMap Of(params (string Key, IpldNode Value)[] entries) =>
        new(entries.Select(e => new KeyValuePair<string, IpldNode>(e.Key, e.Value)));

    public IReadOnlyList<KeyValuePair<string, IpldNode>> Entries => _entries;

    public int Count => _entries.Length;

    public override IpldKind Kind => IpldKind.Map;

    public bool TryGetValue(string key, out IpldNode value) => _byKey.TryGetValue(key, out value!);

    public bool ContainsKey(string key) => _byKey.ContainsKey(key);

    /// <summary>The value under <paramref name="key"/>; a missing key is malformed input.</summary>
    public IpldNode this[string key] =>
        _byKey.TryGetValue(key, out var value) ? value : throw new MalformedDataException("ipld", $"missing field '{key}'");

    public override bool Equals(IpldNode? other)
    {
        if (other is not IpldMap m || m.Count != Count)
        {
            return false;
        }
        foreach (var (key, value) in _entries)
        {
            if (!m._byKey.TryGetValue(key, out var otherValue) || !value.Equals(otherValue))
            {
                return false;
            }
        }
        return true;
    }

    public override int GetHashCode()
    {
        // Order-independent: XOR of per-entry hashes.
        var hash = Count;
        foreach (var (key, value) in _entries)
        {
            hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), value);
        }
        return hash;
    }

    public override string ToString() => $"map[{Count}]";
}
