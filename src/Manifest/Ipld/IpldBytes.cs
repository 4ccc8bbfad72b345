namespace Overlay.Manifest.Ipld;

public sealed class IpldBytes : IpldNode
{
    public IpldBytes(ReadOnlyMemory<byte> value) => Value = value;

    public ReadOnlyMemory<byte> Value { get; }

    public override IpldKind Kind => IpldKind.Bytes;

    public override bool Equals(IpldNode? other) => other is IpldBytes b && b.Value.Span.SequenceEqual(Value.Span);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Value.Span);
        return hash.ToHashCode();
    }

    public override string ToString() => $"bytes[{Value.Length}]";
}
