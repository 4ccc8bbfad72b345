// Spec: https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md#keys (crypto.proto KeyType)
namespace Overlay.Manifest.Keys;

/// <summary>The libp2p key types; the numbers are the protobuf enum values on the wire.</summary>
public enum KeyType
{
    Rsa = 0,
    Ed25519 = 1,
    Secp256k1 = 2,
    Ecdsa = 3,
}
