// Spec: https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md#keys
using Overlay.Manifest.Errors;

namespace Overlay.Manifest.Keys;

/// <summary>
/// A libp2p public key: its type and the type-specific <see cref="Data"/>. Equality is by type
/// and bytes. Only Ed25519 keys verify signatures here; other types are still parsed
/// (<see cref="OpaquePublicKey"/>) so their peer IDs can be computed and compared.
/// </summary>
public abstract class PublicKey : IEquatable<PublicKey>
{
    private readonly byte[] _data;

    private protected PublicKey(KeyType type, byte[] data)
    {
        Type = type;
        _data = data;
    }

    public KeyType Type { get; }

    /// <summary>The key bytes inside the protobuf (raw 32 bytes for Ed25519, DER for RSA/ECDSA, …).</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>True when this build can check signatures made with this key type.</summary>
    public abstract bool CanVerify { get; }

    /// <summary>
    /// Checks <paramref name="signature"/> over <paramref name="data"/>. False for a bad
    /// signature; <see cref="VerificationException"/> when the key type cannot be verified here.
    /// </summary>
    public abstract bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    /// <summary>The deterministic libp2p <c>PublicKey</c> protobuf (what peer IDs hash).</summary>
    public byte[] ToProtobuf() => KeyProtobuf.Encode(Type, _data);

    public PeerId ToPeerId() => PeerId.FromPublicKey(this);

    /// <summary>Decodes a libp2p <c>PublicKey</c> protobuf; Ed25519 keys come back as <see cref="Ed25519PublicKey"/>.</summary>
    public static PublicKey FromProtobuf(ReadOnlySpan<byte> source)
    {
        var type = KeyProtobuf.Decode(source, "public key", out var data);
        if (type == KeyType.Ed25519)
        {
            if (data.Length != Ed25519PublicKey.Length)
            {
                throw new MalformedDataException(KeyProtobuf.FormatName, $"Ed25519 public key must be {Ed25519PublicKey.Length} bytes, not {data.Length}");
            }
            return new Ed25519PublicKey(data);
        }
        if (data.IsEmpty)
        {
            throw new MalformedDataException(KeyProtobuf.FormatName, $"{type} public key is empty");
        }
        return new OpaquePublicKey(type, data.ToArray());
    }

    public bool Equals(PublicKey? other) => other is not null && Type == other.Type && _data.AsSpan().SequenceEqual(other._data);

    public override bool Equals(object? obj) => Equals(obj as PublicKey);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.AddBytes(_data);
        return hash.ToHashCode();
    }

    public static bool operator ==(PublicKey? left, PublicKey? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(PublicKey? left, PublicKey? right) => !(left == right);

    public override string ToString() => $"{Type}:{Convert.ToHexStringLower(_data)}";
}
