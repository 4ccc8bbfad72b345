namespace Overlay.Manifest.Ipld;

public sealed class IpldBoolean : IpldNode
{
    public static readonly IpldBoolean True = new(true);
    public static readonly IpldBoolean False = new(false);

    private IpldBoolean(bool value) => Value = value;

    public bool Value { get; }

    public override IpldKind Kind => IpldKind.Boolean;

    public override bool Equals(IpldNode? other) => other is IpldBoolean b && b.Value == Value;

    public override int GetHashCode() => Value ? 1 : 2;

    public override string ToString() => Value ? "true" : "false";
}
