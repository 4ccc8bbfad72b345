namespace Overlay.Manifest.Ipld;

public sealed class IpldNull : IpldNode
{
    public static readonly IpldNull Instance = new();

    private IpldNull() { }

    public override IpldKind Kind => IpldKind.Null;

    public override bool Equals(IpldNode? other) => other is IpldNull;

    public override int GetHashCode() => 0;

    public override string ToString() => "null";
}
