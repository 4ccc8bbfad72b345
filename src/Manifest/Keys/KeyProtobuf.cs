// Spec: https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md#keys (PublicKey/PrivateKey messages)
using Overlay.Manifest.Errors;
using Overlay.Manifest.Protobuf;

namespace Overlay.Manifest.Keys;

/// <summary>
/// The <c>{Type = 1, Data = 2}</c> message shared by libp2p public and private keys. The spec
/// asks for deterministic encoding (minimal varints, tag order, both fields, nothing else), so
/// the decoder accepts exactly the bytes the encoder would write for the same values.
/// </summary>
internal static class KeyProtobuf
{
    public const string FormatName = "libp2p-key";

    /// <summary>
    /// go-libp2p caps RSA at 8192 bits; an 8192-bit PKCS#1 private key is about 4.7 KB, so 8 KiB
    /// bounds every key a peer can legitimately send while stopping a hostile length early.
    /// </summary>
    public const int MaxDataLength = 8192;

    public static byte[] Encode(KeyType type, ReadOnlySpan<byte> data)
    {
        var writer = new ProtoWriter(data.Length + 8);
        writer.WriteVarint(1, (ulong)type);
        writer.WriteBytes(2, data);
        return writer.ToArray();
    }

    /// <summary>Decodes a key message; <paramref name="data"/> is a slice of <paramref name="source"/>.</summary>
    public static KeyType Decode(ReadOnlySpan<byte> source, string what, out ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(source, FormatName);
        if (!reader.TryReadTag(out var field, out var wire) || field != 1 || wire != WireType.Varint)
        {
            throw new MalformedDataException(FormatName, $"{what} must start with the Type field");
        }
        var rawType = reader.ReadVarint();
        if (rawType > (ulong)KeyType.Ecdsa)
        {
            throw new MalformedDataException(FormatName, $"{what} has unknown key type {rawType}");
        }
        if (!reader.TryReadTag(out field, out wire) || field != 2 || wire != WireType.LengthDelimited)
        {
            throw new MalformedDataException(FormatName, $"{what} must have the Data field right after Type");
        }
        data = reader.ReadBytes(MaxDataLength, $"{what} data");
        if (!reader.End)
        {
            throw new MalformedDataException(FormatName, $"{what} has fields after Data");
        }
        var type = (KeyType)rawType;
        // Field order and presence are checked above; comparing with our own encoding catches
        // the rest (non-minimal varints for the tag, type or length).
        if (!Encode(type, data).AsSpan().SequenceEqual(source))
        {
            throw new MalformedDataException(FormatName, $"{what} is not deterministically encoded");
        }
        return type;
    }
}
