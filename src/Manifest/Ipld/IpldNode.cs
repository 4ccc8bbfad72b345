using Overlay.Manifest.Errors;
using Overlay.Manifest.Multiformats;

namespace Overlay.Manifest.Ipld;

/// <summary>
/// An immutable value of the IPLD data model, the common ground of dag-cbor and dag-json.
/// The typed accessors throw <see cref="MalformedDataException"/> on a kind mismatch because
/// the node usually came from the network: a wrong kind is bad input, not a programming error.
/// </summary>
public abstract class IpldNode : IEquatable<IpldNode>
{
    private protected IpldNode() { }

    public abstract IpldKind Kind { get; }

    public static IpldNode Null => IpldNull.Instance;

    public static implicit operator IpldNode(bool value) => value ? IpldBoolean.True : IpldBoolean.False;
    public static implicit operator IpldNode(long value) => new IpldInteger(value);
    public static implicit operator IpldNode(int value) => new IpldInteger(value);
    public static implicit operator IpldNode(ulong value) => new IpldInteger(value);
    public static implicit operator IpldNode(double value) => new IpldFloat(value);
    public static implicit operator IpldNode(string value) => new IpldString(value);
    public static implicit operator IpldNode(byte[] value) => new IpldBytes(value);
    public static implicit operator IpldNode(Cid value) => new IpldLink(value);

    public bool AsBoolean() => Expect<IpldBoolean>(IpldKind.Boolean).Value;

    public Int128 AsInteger() => Expect<IpldInteger>(IpldKind.Integer).Value;

    /// <summary>The integer as <see cref="long"/>; out-of-range values are malformed input.</summary>
    public long AsInt64()
    {
        var value = AsInteger();
        if (value < long.MinValue || value > long.MaxValue)
        {
            throw new MalformedDataException("ipld", $"integer {value} does not fit 64 bits");
        }
        return (long)value;
    }

    /// <summary>The integer as <see cref="ulong"/>; negative or out-of-range values are malformed input.</summary>
    public ulong AsUInt64()
    {
        var value = AsInteger();
        if (value < 0 || value > ulong.MaxValue)
        {
            throw new MalformedDataException("ipld", $"integer {value} is not an unsigned 64-bit value");
        }
        return (ulong)value;
    }

    public double AsFloat() => Expect<IpldFloat>(IpldKind.Float).Value;

    public string AsString() => Expect<IpldString>(IpldKind.String).Value;

    public ReadOnlyMemory<byte> AsBytes() => Expect<IpldBytes>(IpldKind.Bytes).Value;

    public IReadOnlyList<IpldNode> AsList() => Expect<IpldList>(IpldKind.List).Items;

    public IpldMap AsMap() => Expect<IpldMap>(IpldKind.Map);

    public Cid AsLink() => Expect<IpldLink>(IpldKind.Link).Cid;

    private T Expect<T>(IpldKind kind) where T : IpldNode =>
        this as T ?? throw new MalformedDataException("ipld", $"expected {kind}, found {Kind}");

    public abstract bool Equals(IpldNode? other);

    public override bool Equals(object? obj) => Equals(obj as IpldNode);

    public abstract override int GetHashCode();
}
