namespace Overlay.Addressing;

/// <summary>One protocol/value pair of a multiaddr, value in its binary form.</summary>
public sealed record MultiaddrComponent(MultiaddrProtocol Protocol, ReadOnlyMemory<byte> Value)
{
    public bool Equals(MultiaddrComponent? other) =>
        other is not null && other.Protocol.Code == Protocol.Code && other.Value.Span.SequenceEqual(Value.Span);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Protocol.Code);
        hash.AddBytes(Value.Span);
        return hash.ToHashCode();
    }
}
