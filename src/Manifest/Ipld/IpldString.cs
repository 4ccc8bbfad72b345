namespace Overlay.Manifest.Ipld;

public sealed class IpldString : IpldNode
{
    public IpldString(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    public string Value { get; }

    public override IpldKind Kind => IpldKind.String;

    public override bool Equals(IpldNode? other) => other is IpldString s && string.Equals(s.Value, Value, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => Value;
}
