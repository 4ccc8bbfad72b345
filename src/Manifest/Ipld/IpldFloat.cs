namespace Overlay.Manifest.Ipld;

/// <summary>A 64-bit float. NaN and infinities are not representable in dag-cbor or dag-json.</summary>
public sealed class IpldFloat : IpldNode
{
    public IpldFloat(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "IPLD floats must be finite");
        }
        Value = value;
    }

    public double Value { get; }

    public override IpldKind Kind => IpldKind.Float;

    // Bitwise equality: 0.0 and -0.0 encode differently, so they are different values.
    public override bool Equals(IpldNode? other) =>
        other is IpldFloat f && BitConverter.DoubleToInt64Bits(f.Value) == BitConverter.DoubleToInt64Bits(Value);

    public override int GetHashCode() => BitConverter.DoubleToInt64Bits(Value).GetHashCode();

    public override string ToString() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
