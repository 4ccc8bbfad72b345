namespace Overlay.Manifest.Ipld;

/// <summary>
/// An integer. dag-cbor can carry -2^64 .. 2^64-1, so the value is held as <see cref="Int128"/>
/// and range-checked on construction.
/// </summary>
public sealed class IpldInteger : IpldNode
{
    public static readonly Int128 MinValue = -(Int128)ulong.MaxValue - 1;
    public static readonly Int128 MaxValue = ulong.MaxValue;

    public IpldInteger(Int128 value)
    {
        if (value < MinValue || value > MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "IPLD integers span -2^64 .. 2^64-1");
        }
        Value = value;
    }

    public Int128 Value { get; }

    public override IpldKind Kind => IpldKind.Integer;

    public override bool Equals(IpldNode? other) => other is IpldInteger i && i.Value == Value;

    public override int GetHashCode() => Value.GetHashCode();

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
