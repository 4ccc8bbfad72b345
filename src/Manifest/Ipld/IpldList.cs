namespace Overlay.Manifest.Ipld;

public sealed class IpldList : IpldNode
{
    public static readonly IpldList Empty = new([]);

    public IpldList(IEnumerable<IpldNode> items)
    {
        Items = items.ToArray();
        foreach (var item in Items)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
        }
    }

    public IpldList(params IpldNode[] items) : this((IEnumerable<IpldNode>)items) { }

    public IReadOnlyList<IpldNode> Items { get; }

    public int Count => Items.Count;

    public override IpldKind Kind => IpldKind.List;

    public override bool Equals(IpldNode? other) => other is IpldList l && l.Items.SequenceEqual(Items);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items)
        {
            hash.Add(item);
        }
        return hash.ToHashCode();
    }

    public override string ToString() => $"list[{Items.Count}]";
}
