// Spec: https://github.com/libp2p/specs/blob/master/noise/README.md#the-libp2p-handshake-payload
using Overlay.Manifest.Protobuf;

namespace Overlay.Security.Noise;

/// <summary>
/// The libp2p payload of handshake messages 2 and 3: the identity key and its signature over the
/// Noise static key. Extensions (muxer hints, WebTransport cert hashes) are parsed and ignored.
/// </summary>
internal sealed record NoiseHandshakePayload(byte[] IdentityKey, byte[] IdentitySignature)
{
    /// <summary>Signatures are signed over this prefix followed by the static X25519 public key.</summary>
    public const string SignaturePrefix = "noise-libp2p-static-key:";

    /// <summary>Key protobufs and signatures are well under 1 KiB; RSA-4096 keys are the largest at ~550 bytes.</summary>
    private const int MaxFieldLength = 2048;

    private const string FormatName = "noise-payload";

    public byte[] Encode()
    {
        var writer = new ProtoWriter();
        writer.WriteBytes(1, IdentityKey);
        writer.WriteBytes(2, IdentitySignature);
        return writer.ToArray();
    }

    public static NoiseHandshakePayload Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes, FormatName);
        byte[]? key = null;
        byte[]? signature = null;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    key = reader.ReadBytes(MaxFieldLength, "identity_key").ToArray();
                    break;
                case 2:
                    reader.Expect(wireType, WireType.LengthDelimited, field);
                    signature = reader.ReadBytes(MaxFieldLength, "identity_sig").ToArray();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
        if (key is null || signature is null)
        {
            throw new NoiseException(NoiseFailure.Malformed, "handshake payload lacks the identity key or its signature");
        }
        return new NoiseHandshakePayload(key, signature);
    }

    public static byte[] SignedBytes(ReadOnlySpan<byte> staticPublicKey) =>
        [.. System.Text.Encoding.ASCII.GetBytes(SignaturePrefix), .. staticPublicKey];
}
